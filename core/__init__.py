"""The shared kernel: building blocks every app may import; it imports no app."""
