"""Public web pages and JSON API of the care cost calculator (``careassure.core.charging``)."""
