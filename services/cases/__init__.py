"""Cases: gender-based violence case management, with victims' data encrypted and every access audited."""
