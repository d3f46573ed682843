# The base is not known, and neither is what its user `app` is: not reported.
ARG BASE
FROM ${BASE}
USER app
