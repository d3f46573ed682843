FROM fedora:40
# Another folder of /var/cache is not dnf's cache.
RUN dnf install -y gcc && rm -rf /var/cache/ldconfig
RUN dnf install -y make && rm -rf /var/cache/fontconfig/*
# Some of what is in the cache is not the cache.
RUN dnf install -y git && rm -rf /var/cache/dnf/*.solv
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/partial
# `clean packages` leaves the repository metadata; a bare `zypper clean`, too.
RUN dnf install -y jq && dnf clean packages
RUN zypper --non-interactive install vim && zypper clean
# A mount elsewhere keeps nothing out.
RUN --mount=type=cache,target=/var/cache/ccache dnf install -y tar
USER 1000
