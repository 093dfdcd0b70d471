"""tools/item_focus_select scores the item focus as the details scorer counts items."""

from __future__ import annotations

import yaml
from components.detail_classifier import BOT_DIR
from components.items import ASIDE

from tools.details_eval import Counts
from tools.item_focus_select import GRID_C, GRID_MARGIN, resolved

LINES = ["Bracelet maille figaro", "Pendentif ange argent"]


def test_the_served_c_and_margin_are_on_the_grid():
    config = yaml.safe_load((BOT_DIR / "config.yml").read_text(encoding="utf-8"))
    focus = next(c for c in config["pipeline"] if c["name"].endswith("ItemFocus"))
    assert focus["C"] in GRID_C
    assert focus["margin"] in GRID_MARGIN


def test_the_lines_resolved_leave_out_a_piece_set_aside_beside_another():
    mentions = [
        {"value": "bracelet figaro"},
        {"value": "pendentif ange", "role": ASIDE},
    ]
    assert resolved(mentions, LINES) == {LINES[0]}
    assert resolved([], LINES) == set()


def test_a_wrong_line_is_a_false_positive_and_the_line_meant_a_miss():
    right, wrong = Counts(), Counts()

    right.add_sets({LINES[0]}, {LINES[0]})
    wrong.add_sets({LINES[0]}, {LINES[1]})

    assert right.scores()["f1"] == 1.0
    assert (wrong.tp, wrong.fp, wrong.fn, wrong.support) == (0, 1, 1, 1)
    assert wrong.scores()["f1"] == 0.0
    wrong.add_sets({LINES[0]}, {LINES[0]})  # one right beside one wrong: tp 1, fp 1, fn 1
    assert wrong.scores()["f1"] == 0.5
