FROM ubuntu:24.04
RUN sudo apt-get update
RUN bash -c "sudo chown app /data"
RUN sudo yum -y install cmake && sudo yum clean all
RUN sudo -u postgres psql -c "CREATE DATABASE app"
RUN bash -o pipefail -c "sudo -E pip install flask"
