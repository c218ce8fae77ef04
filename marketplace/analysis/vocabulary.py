"""The 24 keys, named as the analyser names them ("A minor", "F# major", "Eb major")."""

NOTE_NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
KEYS = [(f"{note} {scale}", f"{note} {scale}") for scale in ("major", "minor") for note in NOTE_NAMES]
KEY_NAMES = {name for name, _label in KEYS}
