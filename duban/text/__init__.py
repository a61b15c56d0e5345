"""Text: character widths, Chinese line breaking, and other text helpers."""
