"""Template helpers for measured audio."""

from django import template

from marketplace.analysis.selectors import finished_analysis
from marketplace.analysis.services import bpm_warning as warning_for

register = template.Library()


@register.filter
def bpm_warning(track):
    """The creator's warning when their typed BPM is far from the measured one, else ''."""
    analysis = finished_analysis(track)
    return warning_for(track.bpm, analysis.bpm if analysis else None)
