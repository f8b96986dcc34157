# The two commands a newcomer needs: `make run` and `make test`. Everything else is set up by them.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install browser axe run test eval eval-unseen train fit-selection bench audit clean-data

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PY) >/dev/null 2>&1 || { echo "error: $(PY) not found (Python 3.11 is required)"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	# torch first and exact: any looser request pulls the CUDA build (see README, Installation).
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/policy-assistant ingest --quiet
	$(BIN)/policy-assistant serve

# Debian's Chromium for the browser tests (Playwright downloads no browser here). Without root or apt the
# browser tests skip locally; under CI (CI=true) a missing browser fails them.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
		&& { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; } \
		|| echo "note: Chromium is not installed; the browser tests will skip (apt-get install chromium)"; }

# axe-core for the accessibility tests, pinned by tests/a11y/package-lock.json and injected by Playwright from
# node_modules (nothing is fetched at test time); installed when missing. Without npm the accessibility tests skip locally; under CI they fail.
AXE := tests/a11y/node_modules/axe-core/axe.min.js
$(AXE):
	@command -v npm >/dev/null 2>&1 && npm ci --prefix tests/a11y --no-audit --no-fund --silent \
		|| echo "note: npm is missing or failed; the accessibility tests will skip (npm ci --prefix tests/a11y)"

axe: $(AXE)

test: install browser axe
	$(BIN)/python -m pytest -q -p no:cacheprovider --durations=20

# Answer-quality eval on the shipped set; exits non-zero when a gated metric drops below the baseline.
eval: install
	$(BIN)/policy-assistant ingest --quiet
	$(BIN)/policy-assistant eval --baseline evals/baselines/policy.json

# The unseen test bed (evals/unseen/): new documents in a throw-away store, dev and test split, results per split,
# document shape and question style in eval-report/unseen/.
eval-unseen: install
	$(BIN)/policy-assistant eval --unseen all --report eval-report/unseen

# The learned readers and their reports: the rule reader (ingest/rules/model.npz, from the labelled sentences in
# ingest/rules/labelled/) and the situation reader (assistant/situation/model.npz, from the labelled rule-question
# pairs in assistant/situation/labelled/; it reads features of the rule reader, so it is trained second), the
# answerability check (assistant/answerability/model.npz, from the labelled excerpts and questions there) and the
# question-kind reader (assistant/question_kind/model.npz, from the labelled questions there).
train: install
	$(BIN)/python -m ingest.rules.train
	$(BIN)/python -m assistant.situation.train
	$(BIN)/python -m assistant.answerability.train
	$(BIN)/python -m assistant.question_kind.train

# The sentence-selection weights fitted per question kind (assistant/data/selection.toml, evals/selection-report.md)
# from the unseen dev split's gold quotes, in a throw-away store of the shipped and unseen documents.
fit-selection: install
	$(BIN)/python -m evals.fit_selection

bench: install
	$(BIN)/python -m bench.run

# Known vulnerabilities in the pinned set (constraints.txt), with pip-audit in a venv of its own so it never
# changes the project's packages. It needs pypi.org's JSON API or osv.dev; see README, "Dependency audit".
audit:
	test -x .venv-audit/bin/pip-audit || { $(PY) -m venv .venv-audit && .venv-audit/bin/pip install -q pip-audit==2.10.1; }
	.venv-audit/bin/pip-audit -r constraints.txt --no-deps --strict --progress-spinner off

clean-data:
	rm -rf .data
