"""Cooldowns of the buttons that send an e-mail (lms.cooldown): the pure rule and the claim."""

import datetime

from django.core.cache import cache

from lms import cooldown

NOW = datetime.datetime(2026, 12, 7, 22, 0, tzinfo=datetime.UTC)


def test_remaining_after_counts_down_from_the_last_sending():
    assert cooldown.remaining_after(None, NOW, 600) == 0
    assert cooldown.remaining_after(NOW, NOW, 600) == 600
    assert cooldown.remaining_after(NOW - datetime.timedelta(seconds=599.5), NOW, 600) == 1
    assert cooldown.remaining_after(NOW - datetime.timedelta(minutes=10), NOW, 600) == 0
    assert cooldown.remaining_after(NOW - datetime.timedelta(days=1), NOW, 600) == 0


def test_the_wait_reads_in_whole_minutes_rounded_up():
    assert cooldown.wait_label(1) == "1 minute"
    assert cooldown.wait_label(60) == "1 minute"
    assert cooldown.wait_label(61) == "2 minutes"
    assert cooldown.wait_label(600) == "10 minutes"


def test_a_claim_holds_until_it_expires_or_is_released():
    cache.clear()
    assert cooldown.claim("test", "a", 600) == 0
    assert 599 <= cooldown.claim("test", "a", 600) <= 600
    assert cooldown.claim("test", "b", 600) == 0  # per key
    assert cooldown.claim("other", "a", 600) == 0  # per scope
    cooldown.release("test", "a")
    assert cooldown.claim("test", "a", 600) == 0
    assert cooldown.claim("test", "c", 0) == 0 and cooldown.claim("test", "c", 0) == 0
