FROM opensuse/leap:15.6
# Before its command, zypper's -t is --terse: -tn is terse and non-interactive.
RUN zypper -tn install curl && zypper clean --all
