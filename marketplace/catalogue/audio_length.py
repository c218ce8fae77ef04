"""An MP3's length from its frames, not from what its header claims.

A Xing/Info header states a frame count, and mutagen and libsndfile both believe it: a crafted
header saying 10 s on 10 minutes of audio slipped past the 30 s preview cut. Counting the MPEG
frames themselves (each header gives its byte length and sample count) costs a fraction of a
decode, and stops as soon as the count passes `limit` seconds.
"""

import io

from mutagen.mp3 import HeaderNotFoundError, MPEGFrame

RESYNC_BYTES = 64 * 1024  # junk tolerated between frames before we stop counting


def _skip_id3v2(data):
    if data[:3] != b"ID3" or len(data) < 10:
        return 0
    size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
    return 10 + size + (10 if data[5] & 0x10 else 0)


def _samples_per_frame(frame):
    if frame.layer == 1:
        return 384
    if frame.layer == 3 and frame.version >= 2:
        return 576
    return 1152


def mp3_frame_seconds(data, limit):
    """Seconds of audio in the MPEG frames of `data`, counting no further than `limit` seconds."""
    stream = io.BytesIO(data)
    position, seconds, junk = _skip_id3v2(data), 0.0, 0
    end = len(data)
    while position < end - 4 and seconds <= limit:
        stream.seek(position)
        try:
            frame = MPEGFrame(stream)
        except HeaderNotFoundError:
            next_sync = data.find(b"\xff", position + 1)
            if next_sync < 0 or junk > RESYNC_BYTES:
                break
            junk += next_sync - position
            position = next_sync
            continue
        following = stream.tell()
        if following <= position:
            break
        junk = 0
        seconds += _samples_per_frame(frame) / frame.sample_rate
        position = following
    return seconds
