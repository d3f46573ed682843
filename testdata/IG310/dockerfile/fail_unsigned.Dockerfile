FROM debian:12-slim
RUN apt-get install -y --allow-unauthenticated curl
RUN echo "deb [trusted=yes] http://repo.example.com/ ./" > /etc/apt/sources.list.d/example.list
RUN yum install -y --nogpgcheck jq
RUN rpm -i --nosignature tool.rpm
RUN apk add --allow-untrusted local.apk
RUN apt-get -o Acquire::AllowInsecureRepositories=true update
