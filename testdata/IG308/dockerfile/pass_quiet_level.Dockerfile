FROM debian:12-slim
# Quiet level 2 implies -y (apt-get(8)), as the Assume-Yes setting does.
RUN apt-get -q=2 install --no-install-recommends ./pkg.deb && rm -rf /var/lib/apt/lists/*
RUN apt-get -q -q install --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN apt-get --quiet=2 install --no-install-recommends git && rm -rf /var/lib/apt/lists/*
RUN apt-get -o quiet=2 install --no-install-recommends jq && rm -rf /var/lib/apt/lists/*
RUN apt-get -o APT::Get::Assume-Yes=true install --no-install-recommends make && rm -rf /var/lib/apt/lists/*
RUN apt-get --option=apt::get::assume-yes=1 install --no-install-recommends tar && rm -rf /var/lib/apt/lists/*
