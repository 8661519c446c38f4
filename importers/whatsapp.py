"""WhatsApp chat exports (placeholder while the real importer is written)."""
