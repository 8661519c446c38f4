"""Demo WhatsApp exports (being written)."""


def write(out_dir, rng, scale):
    return []
