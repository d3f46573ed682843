FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN rpm --import https://repo.example.com/key.asc && yum install -y jq
RUN printf '[google-cloud-cli]\nbaseurl=https://packages.cloud.google.com/yum/repos/cloud-sdk-el9-x86_64\ngpgcheck=1\nrepo_gpgcheck=0\n' > /etc/yum.repos.d/google-cloud-sdk.repo
RUN sed -i 's/gpgcheck=0/gpgcheck=1/g' /etc/yum.repos.d/*.repo
RUN dnf install -y --setopt=localpkg_gpgcheck=0 ./tool.rpm && dnf clean all
RUN echo "deb [signed-by=/usr/share/keyrings/example.gpg] https://repo.example.com/ ./ # not trusted=yesno" > /etc/apt/sources.list.d/example.list
RUN cat > /etc/yum.repos.d/internal.repo <<REPO
[internal]
baseurl=https://repo.example.com/el9/
gpgcheck=1
repo_gpgcheck=0
REPO
