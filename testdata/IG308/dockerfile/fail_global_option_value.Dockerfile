FROM opensuse/leap:15.6
# zypper's global --root takes a value: `install` is still the command.
RUN zypper --root /srv/root install vim && zypper clean --all
