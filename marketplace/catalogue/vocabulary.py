"""The fixed vocabularies of the catalogue: genres and moods."""

GENRES = [
    ("electronic", "Electronic"),
    ("hip-hop", "Hip-Hop"),
    ("ambient", "Ambient"),
    ("lo-fi", "Lo-Fi"),
    ("pop", "Pop"),
    ("rock", "Rock"),
    ("cinematic", "Cinematic"),
    ("jazz", "Jazz"),
    ("classical", "Classical"),
    ("synthwave", "Synthwave"),
    ("house", "House"),
    ("techno", "Techno"),
    ("folk", "Folk"),
    ("r-and-b", "R&B"),
    ("metal", "Metal"),
]

MOODS = [
    ("chill", "Chill"),
    ("energetic", "Energetic"),
    ("dark", "Dark"),
    ("happy", "Happy"),
    ("melancholic", "Melancholic"),
    ("epic", "Epic"),
    ("romantic", "Romantic"),
    ("dreamy", "Dreamy"),
    ("aggressive", "Aggressive"),
    ("uplifting", "Uplifting"),
    ("mysterious", "Mysterious"),
    ("melodic", "Melodic"),
]

GENRE_LABELS = dict(GENRES)
MOOD_LABELS = dict(MOODS)
