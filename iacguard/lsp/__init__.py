"""The editor integration: `iacguard lsp` (`server`), the analysis worker it starts
(`worker`), and what that worker computes for one buffer (`analysis`)."""
