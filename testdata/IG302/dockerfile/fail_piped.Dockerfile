FROM debian:12-slim
RUN curl -fsSL https://get.example.sh | sh
RUN apt-get update \
 && wget -qO- https://example.com/install.sh | sudo -E bash -s -- --yes
RUN sh -c "$(curl -fsSL https://example.com/setup.sh)"
RUN <<EOF
set -eu
curl -sSL https://example.com/bootstrap | bash
EOF
RUN eval "$(curl -fsSL https://example.com/env.sh)"
RUN bash -c "$( curl -fsSL https://example.com/install.sh )"
