"""Playlist forms; saving happens in marketplace.playlists.services."""

from django import forms


class PlaylistForm(forms.Form):
    title = forms.CharField(max_length=120)
    description = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_public = forms.BooleanField(label="Public: anyone with the link can open, share and embed it",
                                   required=False, initial=True)


class AddTrackForm(forms.Form):
    track = forms.IntegerField(min_value=1)
    playlist = forms.IntegerField(min_value=1, required=False)
    new_title = forms.CharField(max_length=120, required=False, label="New playlist")

    def clean(self):
        data = super().clean()
        if not data.get("playlist") and not (data.get("new_title") or "").strip():
            self.add_error("new_title", "Name the new playlist, or choose one of yours.")
        return data


class MoveForm(forms.Form):
    position = forms.IntegerField(min_value=0)
