FROM debian:12-slim
RUN apt-get install -y --allow-unauthenticated curl
RUN echo "deb [trusted=yes] http://repo.example.com/ ./" > /etc/apt/sources.list.d/example.list
RUN yum install -y --nogpgcheck jq
RUN rpm -i --nosignature tool.rpm
RUN apk add --allow-untrusted local.apk
RUN apt-get -o Acquire::AllowInsecureRepositories=true update
RUN dnf install -y --setopt=internal.gpgcheck=0 tool && dnf clean all
RUN printf '[internal]\nbaseurl=https://repo.example.com/el9/\ngpgcheck = 0\n' > /etc/yum.repos.d/internal.repo
RUN echo 'Acquire::AllowInsecureRepositories "true";' > /etc/apt/apt.conf.d/99insecure
RUN sed -i 's/^gpgcheck=1/gpgcheck=0/' /etc/yum.repos.d/*.repo
RUN echo "deb [arch=amd64 trusted=yes] http://repo.example.com/ ./" > /etc/apt/sources.list.d/example.list
RUN <<REPO cat > /etc/yum.repos.d/internal.repo && <<SCRIPT bash
[internal]
baseurl=https://repo.example.com/el9/
gpgcheck=0
REPO
dnf install -y tool
SCRIPT
RUN sed -i -e 's/^enabled=0/enabled=1/; s/gpgcheck=1/gpgcheck=0/' /etc/yum.repos.d/internal.repo
RUN <<REPO cat > /etc/yum.repos.d/other.repo
[other]
name=Other\\nrepository
gpgcheck=0
REPO
