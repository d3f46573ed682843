FROM node:22-alpine
ENV NODE_TLS_REJECT_UNAUTHORIZED=0
ARG GIT_SSL_NO_VERIFY=true
RUN curl -fsSLk https://example.com/a -o /a
RUN wget --no-check-certificate https://example.com/b
RUN pip install --trusted-host pypi.example.com flask==3.0.3
RUN npm config set strict-ssl false
RUN git -c http.sslVerify=false clone https://example.com/repo.git
RUN PYTHONHTTPSVERIFY=0 python fetch.py
ENV GIT_SSL_NO_VERIFY=0
RUN export GIT_SSL_NO_VERIFY=false && git clone https://example.com/repo.git
RUN GIT_SSL_NO_VERIFY= git fetch
RUN npm config set strict-ssl=false
RUN yarn config set "strict-ssl" "false"
RUN pnpm config set strict-ssl false --global
RUN VERSION="$(curl -sk https://example.com/version)" && echo "$VERSION" > /v
RUN git config --global http.https://git.example.com/.sslVerify false
