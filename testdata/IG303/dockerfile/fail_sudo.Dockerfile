FROM ubuntu:24.04
RUN sudo apt-get update
RUN bash -c "sudo chown app /data"
RUN sudo yum -y install cmake && sudo yum clean all
