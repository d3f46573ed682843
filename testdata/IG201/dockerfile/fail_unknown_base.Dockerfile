# Not under registry.example.com/base/, and not a known non-root image.
FROM registry.example.com/apps/worker:1.4
CMD ["worker"]
