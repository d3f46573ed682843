FROM debian:12
# -o takes a value: the `y` of `yes` is no -y.
RUN apt-get -oDebug::pkgProblemResolver=yes install --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
