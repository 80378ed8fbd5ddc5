"""The browser functions Dash calls (clientside callbacks, assets/) read their arguments in the
order the Python side declares them (components/): for each callback the served app declares,
the function exists, takes as many arguments as the callback's inputs and states, and each
argument it names stands for the input or state in its place.

A function with a rest parameter (`...args`) names its last arguments by taking them off the
end (`const [a, b] = args.splice(-2)`, `const config = args.pop()`); what is left must be the
view's controls (components/url_state.CONTROLS, without the selected model when the function
names it apart), or a run of one property (each chart's clickData)."""
import json
import re

import pytest

from components.url_state import CONTROLS

# A word a parameter uses for what the Dash id or property calls otherwise.
SYNONYMS = {"pin": "pinned", "mine": "my", "shade": "backdrop", "selection": "selected"}
# Words of ids and properties that name nothing in particular.
GENERIC = {"data", "value", "n", "is"}
REST_NAMES_NOTHING = {"args", "rest"}


def words(text: str) -> set[str]:
    """"trendFits" -> {trend, fit}; "n_clicks" -> {n, click}; "_pageConfig" -> {page, config}."""
    parts = re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", text)
    found = {p.lower()[:-1] if len(p) > 3 and p.endswith("s") and not p.endswith("ss") else p.lower()
             for p in parts}
    return found | {SYNONYMS[w] for w in found if w in SYNONYMS}


def dependency_name(dependency: dict) -> str:
    """"page-config.data"; a pattern-matching id by its type: "open-model.n_clicks"."""
    component = dependency["id"]
    if component.startswith("{"):
        component = json.loads(component)["type"]
    return f"{component}.{dependency['property']}"


def names(parameter: str, dependency: str) -> bool:
    component, prop = dependency.split(".", 1)
    return bool(words(parameter) & ((words(component) | words(prop)) - GENERIC))


def signature(source: str) -> tuple[list[str], str | None, list[str]]:
    """(the named parameters, the rest parameter or None, the names the function takes off the
    end of its rest parameter), from the function's source."""
    head = re.match(r"\s*(?:async\s+)?(?:function\b[^(]*)?\(([^)]*)\)|\s*(?:async\s+)?(\w+)\s*=>", source)
    assert head, source[:80]
    listed = [p.split("=")[0].strip() for p in (head.group(1) or head.group(2) or "").split(",") if p.strip()]
    rest = listed.pop()[3:] if listed and listed[-1].startswith("...") else None
    taken = []
    if rest:
        for names_, count in re.findall(rf"const \[([^\]]+)\] = {rest}\.splice\(-(\d+)\)", source):
            spliced = [n.strip() for n in names_.split(",")]
            assert len(spliced) == int(count), source[:200]
            taken = spliced + taken
        popped = re.findall(rf"const (\w+) = {rest}\.pop\(\)", source)
        taken = list(reversed(popped)) + taken   # the first pop is the last argument
    return listed, rest, taken


@pytest.fixture(scope="module")
def served(chromium, gunicorn_server):
    """What the served page holds: Dash's callbacks (as the renderer receives them) and the source
    of every function under window.dash_clientside."""
    from tests.support import page_on
    with page_on(chromium, gunicorn_server) as page:
        page.goto(page.base_url + "/")
        page.wait_for_function("() => window.dash_clientside && window.dash_clientside.scalemap_charts")
        yield page.evaluate("""async () => ({
            callbacks: await (await fetch('_dash-dependencies')).json(),
            functions: Object.fromEntries(Object.entries(window.dash_clientside)
              .filter(([namespace]) => namespace.startsWith('scalemap'))
              .map(([namespace, members]) => [namespace, Object.fromEntries(Object.entries(members)
                .filter(([, member]) => typeof member === 'function')
                .map(([name, member]) => [name, member.toString()]))]))})""")


def clientside(served) -> list[dict]:
    return [c for c in served["callbacks"] if c.get("clientside_function")]


@pytest.mark.browser
def test_every_clientside_callback_has_its_function_and_every_function_a_callback(served):
    wired = {(c["clientside_function"]["namespace"], c["clientside_function"]["function_name"])
             for c in clientside(served)}
    defined = {(namespace, name) for namespace, members in served["functions"].items() for name in members}
    assert len(wired) > 20
    assert wired - defined == set(), "callbacks whose function is missing from assets/"
    assert defined - wired == set(), "functions in window.dash_clientside that no callback calls"


@pytest.mark.browser
def test_each_function_reads_its_arguments_in_the_order_of_its_callback(served):
    controls = [f"{component}.{prop}" for component, prop in CONTROLS]
    selected = controls[-1]
    wrong = []
    for callback in clientside(served):
        function = callback["clientside_function"]
        where = f"{function['namespace']}.{function['function_name']}"
        source = served["functions"][function["namespace"]][function["function_name"]]
        arguments = [dependency_name(d) for d in callback["inputs"] + callback["state"]]
        listed, rest, taken = signature(source)
        if rest is None:
            if len(listed) != len(arguments):
                wrong.append(f"{where}: takes {len(listed)} arguments, its callback gives {len(arguments)}")
                continue
            middle = []
        else:
            middle = arguments[len(listed):len(arguments) - len(taken)]
        named = list(zip(listed, arguments)) + list(zip(taken, arguments[len(arguments) - len(taken):]))
        wrong += [f"{where}: `{parameter}` is given {dependency}" for parameter, dependency in named
                  if not names(parameter, dependency)]
        if rest is None:
            continue
        if middle == controls:
            continue
        if "inputs_list" in source and "states_list" in source:
            continue   # it learns its arguments by id from Dash's callback context (painter.js draw)
        if middle == controls[:-1]:   # the function puts the selected model back itself
            if not any(dependency == selected for _, dependency in named):
                wrong.append(f"{where}: `...{rest}` holds the controls but the selected model, which no "
                             "argument names")
            continue
        if len(middle) > 1 and len({d.split(".", 1)[1] for d in middle}) == 1 and (
                rest in REST_NAMES_NOTHING or all(names(rest, d) for d in middle)):
            continue   # a run of one property (each chart's clickData)
        wrong.append(f"{where}: `...{rest}` is given {middle}, neither the view's controls nor a run of one "
                     "property")
    assert not wrong, "\n".join(wrong)


def test_the_rules_read_signatures_and_tell_a_right_name_from_a_wrong_one():
    assert signature("async function (trendFits, ...args) {\n const [uploaded, config, skeletons] = "
                     "args.splice(-3);") == (["trendFits"], "args", ["uploaded", "config", "skeletons"])
    assert signature("function (...args) { const config = args.pop(); const x = 1;") == ([], "args", ["config"])
    assert signature("(clicks) => clicks") == (["clicks"], None, [])
    assert signature("clicks => clicks") == (["clicks"], None, [])
    assert names("config", "page-config.data") and names("pins", "pinned-models.data")
    assert names("_clicks", "open-model.n_clicks") and names("isOpen", "stats-card.is_open")
    assert not names("config", "chart-skeletons.data") and not names("uploaded", "page-config.data")
    assert not names("selected", "trend-fits.data")
