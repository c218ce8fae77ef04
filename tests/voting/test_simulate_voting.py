import pytest
from django.core.management import call_command

from marketplace.models import Track
from voting import simulation

pytestmark = pytest.mark.django_db


def test_a_fresh_ring_stays_out_of_trending_and_the_ranking_tracks_true_quality():
    report = simulation.run(honest=250, ring_size=15, tracks=30, votes_per_voter=12, seed=3)
    assert report.votes_cast > 2000
    assert report.ring_in_top10 == 0
    assert report.tau >= 0.8
    assert report.recompute_drift < 1e-6
    assert report.flagged["ring"] > 0


def test_the_command_prints_its_figures_and_leaves_no_data(capsys):
    call_command("simulate_voting", "--honest", "40", "--ring-size", "6", "--tracks", "10", "--votes-per-voter", "5")
    out = capsys.readouterr().out
    assert "Kendall tau" in out and "ring tracks in trending top 10" in out
    assert not Track.objects.filter(title__startswith="Simulated track").exists()


def test_kendall_tau_matches_known_values():
    assert simulation.kendall_tau([1, 2, 3, 4], [1, 2, 3, 4]) == 1
    assert simulation.kendall_tau([1, 2, 3, 4], [4, 3, 2, 1]) == -1
    assert simulation.kendall_tau([1, 2, 3], [1, 3, 2]) == pytest.approx(1 / 3)
