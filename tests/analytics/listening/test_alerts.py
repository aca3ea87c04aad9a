from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select

from mutuals.analytics.listening.alerts import (
    MIN_VOLUME,
    count_spike,
    detect_alerts,
    list_alerts,
    share_spike,
)
from mutuals.storage.listening_tables import listening_alerts
from tests.analytics.listening.helpers import load, message

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_a_burst_well_above_a_steady_baseline_is_a_spike() -> None:
    spike = count_spike(30, [5, 6, 4, 5, 5, 6, 4], minimum=10)
    assert spike is not None
    assert spike.baseline == 5.0 and spike.ratio == 6.0


def test_ordinary_days_and_small_numbers_are_not_spikes() -> None:
    assert count_spike(7, [5, 6, 4, 5, 5, 6, 4], minimum=10) is None  # under the minimum
    assert count_spike(12, [10, 11, 9, 10], minimum=10) is None  # busy, but as busy as usual
    assert count_spike(4, [0, 0, 0, 0], minimum=5) is None  # a few after silence
    assert count_spike(5, [0, 0, 0, 0], minimum=5) is not None  # enough after silence


def test_a_negative_share_must_rise_by_points_and_by_a_factor() -> None:
    assert share_spike(12, 20, 10, 100) is not None  # 60 % against 10 %
    assert share_spike(3, 5, 10, 100) is None  # too few negative messages
    assert share_spike(13, 20, 50, 100) is None  # 65 % against 50 %: not doubled


def _series(daily: list[int], negative_today: int = 0) -> list[object]:
    """daily[k]: messages k days before NOW (k=0 is the last 24 h), each from a different person."""
    records: list[object] = []
    n = 0
    for k, count in enumerate(daily):
        for j in range(count):
            when = NOW - timedelta(days=k, hours=1 + (j % 20))
            bad = k == 0 and j < negative_today
            text = (
                "this is terrible, worst service ever, I hate it"
                if bad
                else "what time do you open on sunday"
            )
            records.append(message(n, n, when, text))
            n += 1
    return records


def test_a_volume_spike_in_the_last_day_fires_once_and_explains_itself(engine: Engine) -> None:
    daily = [40] + [4] * 14
    load(engine, _series(daily))  # type: ignore[arg-type]
    with engine.begin() as conn:
        new = detect_alerts(conn, now=NOW)
        again = detect_alerts(conn, now=NOW)
        stored = list_alerts(conn)
    volume = [a for a in new if a["kind"] == "volume"]
    assert len(volume) == 1
    assert volume[0]["current_count"] == 40 and volume[0]["baseline"] == 4.0
    assert "40 inbound messages" in volume[0]["message"] and "10.0×" in volume[0]["message"]
    assert again == []
    assert len([a for a in stored if a["kind"] == "volume"]) == 1


def test_a_quiet_steady_account_raises_no_alert(engine: Engine) -> None:
    load(engine, _series([MIN_VOLUME + 2] * 15))  # type: ignore[arg-type]
    with engine.begin() as conn:
        assert detect_alerts(conn, now=NOW) == []
        assert conn.execute(select(func.count()).select_from(listening_alerts)).scalar_one() == 0


def test_a_jump_in_negative_messages_raises_a_negative_share_alert(engine: Engine) -> None:
    load(engine, _series([12] + [12] * 14, negative_today=9))  # type: ignore[arg-type]
    with engine.begin() as conn:
        kinds = {a["kind"] for a in detect_alerts(conn, now=NOW)}
    assert kinds == {"negative_share"}
