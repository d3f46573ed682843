FROM node:22-alpine
ENV NODE_TLS_REJECT_UNAUTHORIZED=1
RUN curl -fsSLo kubectl https://example.com/kubectl
RUN wget -q https://example.com/b
RUN git clone https://example.com/repo.git
RUN npm config get strict-ssl && npm config set strict-ssl true
RUN npm install strict-ssl false
RUN GIT_SSL_CAINFO=/etc/ssl/certs/ca.pem git fetch
RUN git config --global http.sslVerify true && git config --get http.sslVerify
