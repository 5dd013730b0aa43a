"""`creeplint server` end to end: pytest-lsp (a pygls language client) drives the built binary.

Run by tests/server.rs (`cargo test --test server`) with CREEPLINT_BIN set to the binary; the
expected findings come from the same binary's `check --format json`, converted independently
here from character columns to LSP's UTF-16 units.
"""

import asyncio
import json
import os
import pathlib
import re
import subprocess

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

BIN = os.environ["CREEPLINT_BIN"]

# Emoji (two UTF-16 units each, four UTF-8 bytes) and accented letters before every finding.
WELCOME = """<html>
<body>
  <p>Hi {{ customer.first_name }} 👋🏽 — thanks for being with us, bestie!</p>
  <p>🎉 Café news: You spent {{ customer.total_spent }} with us last month.</p>
  <p>Manage your <a href="{{ unsubscribe_url }}">email preferences</a>.</p>
</body>
</html>
"""

SPENT = "You spent {{ customer.total_spent }}"

HOUSE_PACK = """[pack]
name = "house"
description = "House style of this workspace"

[[rules]]
id = "house.bestie"
severity = "warning"
message = "Calls the reader our bestie"
why = "We are a shop, not a friend; over-familiar copy reads as presumptuous."
suggest = "Greet the reader by name, or just say hello."
patterns = ['\\bbestie\\b']
examples.bad = ["Hey bestie, look at this!"]
examples.good = ["Hey there, look at this!"]
"""

CONFIG = """packs = ["house.toml"]

[[overrides]]
paths = ["transactional/**"]
ignore = ["spend.*"]
"""

PUBLISH = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS


@pytest.fixture
def workspace(tmp_path: pathlib.Path) -> pathlib.Path:
    (tmp_path / "creeplint.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "house.toml").write_text(HOUSE_PACK, encoding="utf-8")
    (tmp_path / "emails").mkdir()
    (tmp_path / "emails" / "welcome.liquid").write_text(WELCOME, encoding="utf-8")
    (tmp_path / "transactional").mkdir()
    return tmp_path


def make_client() -> LanguageClient:
    """pytest-lsp's client, which also accepts the server's file-watcher registration (as VS Code
    and Neovim do, given the capabilities the tests announce) and records it."""
    client = pytest_lsp.make_test_lsp_client()
    client.registrations = []

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        client.registrations.extend(params.registrations)

    return client


def make_client_fixture(spec: str):
    config = ClientServerConfig(server_command=[BIN, "server"], client_factory=make_client)

    @pytest_lsp.fixture(config=config)
    async def fixture(lsp_client: LanguageClient, workspace: pathlib.Path):
        params = types.InitializeParams(
            capabilities=client_capabilities(spec),
            workspace_folders=[
                types.WorkspaceFolder(uri=workspace.as_uri(), name="campaigns")
            ],
            root_uri=workspace.as_uri(),
        )
        result = await lsp_client.initialize_session(params)
        assert result.server_info.name == "creeplint"
        yield
        await lsp_client.shutdown_session()

    return fixture


client = make_client_fixture("visual-studio-code")
nvim = make_client_fixture("neovim")


# --- helpers -----------------------------------------------------------------------------------


def position(text: str, index: int) -> types.Position:
    """The LSP position of code point `index` of `text`, counted in UTF-16 units."""
    line = text.count("\n", 0, index)
    line_start = text.rfind("\n", 0, index) + 1
    return types.Position(line, len(text[line_start:index].encode("utf-16-le")) // 2)


def range_of(text: str, needle: str) -> types.Range:
    start = text.index(needle)
    return types.Range(position(text, start), position(text, start + len(needle)))


def offset(text: str, pos: types.Position) -> int:
    """The code point index of an LSP position."""
    lines = text.split("\n")
    before = sum(len(line) + 1 for line in lines[: pos.line])
    units = lines[pos.line].encode("utf-16-le")[: pos.character * 2]
    return before + len(units.decode("utf-16-le"))


def apply_edits(text: str, edits) -> str:
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start, end = offset(text, edit.range.start), offset(text, edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


async def fresh_diagnostics(client: LanguageClient, uri: str, action):
    """Runs `action` and waits for the diagnostics it makes the server publish for `uri`."""
    client.diagnostics.pop(uri, None)
    action()
    for _ in range(1000):
        if uri in client.diagnostics:
            return list(client.diagnostics[uri])
        await asyncio.sleep(0.01)
    raise AssertionError(f"no diagnostics published for {uri}")


async def open_doc(client: LanguageClient, path: pathlib.Path, language: str, text=None):
    text = path.read_text(encoding="utf-8") if text is None else text
    uri = path.as_uri()
    diags = await fresh_diagnostics(
        client,
        uri,
        lambda: client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
            )
        ),
    )
    return uri, diags


async def change_doc(client: LanguageClient, uri: str, version: int, text: str):
    return await fresh_diagnostics(
        client,
        uri,
        lambda: client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        ),
    )


def cli_findings(path: pathlib.Path):
    """What `creeplint check --format json` reports for `path`, as (rule, LSP range)."""
    out = subprocess.run(
        [BIN, "check", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        cwd=path.parent,
    )
    assert out.returncode in (0, 1), out.stderr
    lines = path.read_text(encoding="utf-8").split("\n")

    def pos(line: int, column: int) -> types.Position:
        # The CLI counts 1-based characters; LSP counts 0-based UTF-16 units.
        text = lines[line - 1]
        return types.Position(line - 1, len(text[: column - 1].encode("utf-16-le")) // 2)

    return sorted(
        (f["rule"], pos(f["line"], f["column"]), pos(f["end_line"], f["end_column"]))
        for f in json.loads(out.stdout)["findings"]
    )


def directive_line(expected: str) -> re.Pattern:
    """`expected`, where the directive may name more rules of the spend pack after
    spend.quoted-total: ones that flagged the same phrase and were hidden behind it."""
    parts = [re.escape(p) for p in expected.split("spend.quoted-total")]
    return re.compile(r"spend\.quoted-total(?: spend\.[\w-]+)*".join(parts))


def summary(diags):
    return sorted((d.code, d.range.start, d.range.end) for d in diags)


def key(p: types.Position):
    return (p.line, p.character)


def codes(diags):
    return sorted(d.code for d in diags)


def sort_summary(items):
    return sorted(items, key=lambda t: (t[0], key(t[1]), key(t[2])))


# --- tests -------------------------------------------------------------------------------------


async def test_liquid_email_gets_the_findings_of_check_at_utf16_ranges(client, workspace):
    await liquid_email_findings(client, workspace)


async def test_the_same_with_neovims_capabilities(nvim, workspace):
    await liquid_email_findings(nvim, workspace)


async def liquid_email_findings(lsp: LanguageClient, workspace: pathlib.Path):
    path = workspace / "emails" / "welcome.liquid"
    uri, diags = await open_doc(lsp, path, "liquid")

    # The same findings as the CLI, at the same places, counted in UTF-16.
    expected = cli_findings(path)
    assert {"spend.quoted-total", "house.bestie"} <= {rule for rule, _, _ in expected}
    assert sort_summary(summary(diags)) == sort_summary(expected)

    # And independently of the CLI: the spend finding sits after 🎉 and é.
    spend = next(d for d in diags if d.code == "spend.quoted-total")
    assert spend.range == range_of(WELCOME, SPENT)
    assert spend.range.start == types.Position(3, 19)
    assert spend.severity == types.DiagnosticSeverity.Error
    assert spend.source == "creeplint"
    assert spend.message == "Quotes the reader's own spending back to them"
    bestie = next(d for d in diags if d.code == "house.bestie")
    assert bestie.range == range_of(WELCOME, "bestie")
    assert bestie.severity == types.DiagnosticSeverity.Warning

    # The hover explains why and how to rewrite.
    hover = await lsp.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), spend.range.start)
    )
    assert hover is not None and hover.range == spend.range
    assert "People feel watched" in hover.contents.value
    assert "Thank them for being a customer" in hover.contents.value
    assert "customer.total_spent" in hover.contents.value


async def test_editing_the_copy_clears_its_diagnostic(client, workspace):
    path = workspace / "emails" / "welcome.liquid"
    uri, diags = await open_doc(client, path, "liquid")
    assert "spend.quoted-total" in codes(diags)
    # The server asked to hear about config and pack changes.
    watched = [r for r in client.registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    assert len(watched) == 1

    edited = WELCOME.replace(SPENT + " with us last month", "Thanks for shopping with us")
    diags = await change_doc(client, uri, 2, edited)
    assert "spend.quoted-total" not in codes(diags)
    assert "house.bestie" in codes(diags)

    diags = await change_doc(client, uri, 3, WELCOME)
    assert "spend.quoted-total" in codes(diags)


async def test_suppression_code_action_inserts_a_liquid_comment_that_works(client, workspace):
    path = workspace / "emails" / "welcome.liquid"
    uri, diags = await open_doc(client, path, "liquid")
    spend = next(d for d in diags if d.code == "spend.quoted-total")

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=spend.range,
            context=types.CodeActionContext(diagnostics=[spend]),
        )
    )
    spend_actions = [a for a in actions if "spend.quoted-total" in a.title]
    assert len(spend_actions) == 1, actions
    action = spend_actions[0]
    assert action.kind == types.CodeActionKind.QuickFix
    edited = apply_edits(WELCOME, action.edit.changes[uri])
    # A Liquid comment (stripped when rendered), not an HTML one sent to every reader.
    assert directive_line("  {% comment %} creeplint-disable-next-line spend.quoted-total {% endcomment %}\n"
        "  <p>🎉 Café news: You spent").search(edited), edited

    diags = await change_doc(client, uri, 2, edited)
    assert "spend.quoted-total" not in codes(diags)
    assert "house.bestie" in codes(diags)
    # Nothing is left on the suppressed line.
    moved = range_of(WELCOME, SPENT).start.line + 1
    assert [d for d in diags if d.range.start.line == moved] == []
    # The CLI agrees with the edited file.
    path.write_text(edited, encoding="utf-8")
    assert "spend.quoted-total" not in [rule for rule, _, _ in cli_findings(path)]


FORMATS = [
    # (file, language id, text, directive the quick fix must write)
    ("a.html", "html", "<p>Hi 😀 — You spent $342 with us.</p>\n", "<!-- creeplint-disable-next-line spend.quoted-total -->"),
    ("a.md", "markdown", "# Hi 😀\n\nYou spent $342 with us.\n", "<!-- creeplint-disable-next-line spend.quoted-total -->"),
    ("a.txt", "plaintext", "Hi 😀 You spent $342 with us.\n", "# creeplint-disable-next-line spend.quoted-total"),
    ("a.yaml", "yaml", "subject: \"Hi 😀 You spent $342 with us.\"\n", "# creeplint-disable-next-line spend.quoted-total"),
    ("a.json", "json", "{\n  \"subject\": \"Hi 😀 You spent $342 with us.\"\n}\n", "// creeplint-disable-next-line spend.quoted-total"),
    ("a.jinja", "jinja", "<p>Hi 😀 You spent {{ user.total_spent }} with us.</p>\n", "{# creeplint-disable-next-line spend.quoted-total #}"),
    ("a.hbs", "handlebars", "<p>Hi 😀 You spent {{total_spent}} with us.</p>\n", "{{! creeplint-disable-next-line spend.quoted-total }}"),
    ("b.md", "markdown", "---\nsubject: Hi 😀 You spent $342 with us.\n---\n\nHello.\n", None),
    ("a.amp", "ampscript", "%%[ SET @x = 1 ]%%\n<p>Hi 😀 You spent $342 with us.</p>\n", "%%[ /* creeplint-disable-next-line spend.quoted-total */ ]%%"),
    ("a.mjml", "mjml", "<mjml><mj-body><mj-text>\n  Hi 😀 You spent $342 with us.\n</mj-text></mj-body></mjml>\n", "  <!-- creeplint-disable-next-line spend.quoted-total -->"),
    ("a.csv", "csv", "id,subject\n1,Hi 😀 You spent $342 with us.\n", None),
]


@pytest.mark.parametrize("name,language,text,directive", FORMATS, ids=[f[0] for f in FORMATS])
async def test_every_format_gets_diagnostics_and_its_own_suppression(
    client, workspace, name, language, text, directive
):
    path = workspace / "emails" / name
    path.write_text(text, encoding="utf-8")
    uri, diags = await open_doc(client, path, language)
    spend = [d for d in diags if d.code == "spend.quoted-total"]
    assert len(spend) == 1, diags
    needle = text[text.index("You spent") : text.index(" with us")]
    assert spend[0].range == range_of(text, needle)

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=spend[0].range,
            context=types.CodeActionContext(diagnostics=spend),
        )
    )
    actions = [a for a in actions or [] if "spend.quoted-total" in a.title]
    if directive is None:
        # CSV and Markdown front matter have no directive syntax: no quick fix that would not work.
        assert actions == []
        return
    assert len(actions) == 1
    edited = apply_edits(text, actions[0].edit.changes[uri])
    assert directive_line(directive).search(edited), edited
    diags = await change_doc(client, uri, 2, edited)
    assert "spend.quoted-total" not in codes(diags)


async def test_per_path_overrides_of_the_workspace_config(client, workspace):
    receipt = workspace / "transactional" / "receipt.liquid"
    receipt.write_text("<p>Hey bestie, you spent $342 with us.</p>\n", encoding="utf-8")
    _, diags = await open_doc(client, receipt, "liquid")
    assert "spend.quoted-total" not in codes(diags)
    assert "house.bestie" in codes(diags)


async def test_each_folder_has_its_own_config(client, workspace):
    # A second project beside the first, with its own config: only the spend pack, no house pack.
    other = workspace / "other"
    other.mkdir()
    (other / "creeplint.toml").write_text('select = ["spend"]\n', encoding="utf-8")
    client.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(
            types.WorkspaceFoldersChangeEvent(
                added=[types.WorkspaceFolder(uri=other.as_uri(), name="other")], removed=[]
            )
        )
    )
    email = other / "welcome.liquid"
    email.write_text(WELCOME, encoding="utf-8")
    _, diags = await open_doc(client, email, "liquid")
    assert codes(diags) == ["spend.quoted-total"]
    _, diags = await open_doc(client, workspace / "emails" / "welcome.liquid", "liquid")
    assert {"spend.quoted-total", "house.bestie"} <= set(codes(diags))


async def test_a_config_or_pack_file_itself_is_not_checked_as_copy(client, workspace):
    _, diags = await open_doc(client, workspace / "house.toml", "toml")
    assert diags == []


async def test_a_broken_pack_is_a_diagnostic_on_the_pack_and_the_server_keeps_running(
    client, workspace
):
    email = workspace / "emails" / "welcome.liquid"
    uri, diags = await open_doc(client, email, "liquid")
    assert "house.bestie" in codes(diags)

    pack = workspace / "house.toml"
    pack_uri = pack.as_uri()
    pack.write_text(HOUSE_PACK.replace("severity = \"warning\"", "severity = \"loud\""), encoding="utf-8")
    client.diagnostics.pop(pack_uri, None)
    diags = await fresh_diagnostics(
        client,
        uri,
        lambda: client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                [types.FileEvent(uri=pack_uri, type=types.FileChangeType.Changed)]
            )
        ),
    )
    # The email says it was not checked, and why.
    assert codes(diags) == ["creeplint.not-checked"]
    assert diags[0].severity == types.DiagnosticSeverity.Error
    assert "house.toml" in diags[0].message
    # The pack carries the error on the broken line.
    for _ in range(500):
        if client.diagnostics.get(pack_uri):
            break
        await asyncio.sleep(0.01)
    pack_diags = client.diagnostics[pack_uri]
    assert len(pack_diags) == 1
    assert pack_diags[0].range.start.line == HOUSE_PACK.split("\n").index('severity = "warning"')
    assert "loud" in pack_diags[0].message or "severity" in pack_diags[0].message
    assert any("house.toml" in m.message for m in client.messages)

    # Still serving: hover and code actions answer, and fixing the pack brings the findings back.
    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(0, 0))
    )
    assert hover is None
    pack.write_text(HOUSE_PACK, encoding="utf-8")
    diags = await fresh_diagnostics(
        client,
        uri,
        lambda: client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                [types.FileEvent(uri=pack_uri, type=types.FileChangeType.Changed)]
            )
        ),
    )
    assert {"house.bestie", "spend.quoted-total"} <= set(codes(diags))
    assert list(client.diagnostics[pack_uri]) == []


async def test_a_broken_config_is_a_diagnostic_on_the_config_after_save(client, workspace):
    email = workspace / "emails" / "welcome.liquid"
    uri, _ = await open_doc(client, email, "liquid")
    config = workspace / "creeplint.toml"
    config_uri = config.as_uri()
    broken = CONFIG + "\nfail-onn = \"error\"\n"
    config.write_text(broken, encoding="utf-8")
    await open_doc(client, config, "toml", broken)
    diags = await fresh_diagnostics(
        client,
        uri,
        lambda: client.text_document_did_save(
            types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(config_uri))
        ),
    )
    assert codes(diags) == ["creeplint.not-checked"]
    for _ in range(500):
        if client.diagnostics.get(config_uri):
            break
        await asyncio.sleep(0.01)
    # Give the server time to publish everything it would for the open config, then check it
    # carries its load error and nothing else (it is not copy).
    await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(config_uri), types.Position(0, 0))
    )
    config_diags = client.diagnostics[config_uri]
    assert len(config_diags) == 1, config_diags
    assert config_diags[0].range.start.line == broken.split("\n").index('fail-onn = "error"')
    assert "fail-onn" in config_diags[0].message


async def test_odd_requests_do_not_bring_the_server_down(client, workspace):
    email = workspace / "emails" / "welcome.liquid"
    uri, _ = await open_doc(client, email, "liquid")
    doc = types.TextDocumentIdentifier(uri)
    far = types.Position(999, 999)
    assert await client.text_document_hover_async(types.HoverParams(doc, far)) is None
    inverted = types.Range(far, types.Position(0, 0))
    await client.text_document_code_action_async(
        types.CodeActionParams(doc, inverted, types.CodeActionContext(diagnostics=[]))
    )
    # A change to a document that was never opened is ignored.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri + "-unknown", version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="x")],
        )
    )
    # An incremental change (the server asks for full sync, but a client may send ranges), one
    # starting inside the 🎉 surrogate pair and one past the end of the text.
    emoji = position(WELCOME, WELCOME.index("🎉"))
    inside = types.Position(emoji.line, emoji.character + 1)
    diags = await fresh_diagnostics(
        client,
        uri,
        lambda: client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=3),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(inside, inside), text="!"
                    ),
                    types.TextDocumentContentChangePartial(
                        range=types.Range(far, far), text="\nHey bestie."
                    ),
                ],
            )
        ),
    )
    # The insertion landed before the emoji, not inside it, and the text still checks.
    assert "spend.quoted-total" in codes(diags)
    assert codes(diags).count("house.bestie") == 2
    spend = next(d for d in diags if d.code == "spend.quoted-total")
    assert spend.range.start.character == range_of(WELCOME, SPENT).start.character + 1


async def test_a_syntax_problem_is_an_information_diagnostic_at_its_place(client, workspace):
    text = '{\n  "subject": "Hi 😀",\n  😀 /* unfinished\n'
    path = workspace / "emails" / "broken.json"
    path.write_text(text, encoding="utf-8")
    _, diags = await open_doc(client, path, "json")
    syntax = [d for d in diags if d.code == "creeplint.syntax"]
    assert syntax, diags
    assert any(d.range.start == position(text, text.index("/*")) for d in syntax), syntax
    assert all(d.severity == types.DiagnosticSeverity.Information for d in syntax)


async def test_a_message_is_judged_with_its_layout_as_check_judges_it(client, workspace):
    # The promotion's unsubscribe link lives in its layout. `creeplint check FILE` finds the layout
    # beside it (as a pre-commit hook passes one file), so the editor must not report a missing
    # opt-out either; without the layout, both report it.
    emails = workspace / "emails"
    (emails / "layouts").mkdir()
    (emails / "layouts" / "promo.liquid").write_text(
        "<html><body>{{ content_for_layout }}\n"
        '<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p></body></html>\n',
        encoding="utf-8",
    )
    sale = emails / "spring-sale.liquid"
    sale.write_text(
        "{% layout 'promo' %}\n"
        "<p>Hi {{ customer.first_name }}, fresh picks from {{ customer.favourite_brand }} just landed.</p>\n",
        encoding="utf-8",
    )

    def check(path):
        out = subprocess.run(
            [BIN, "check", "--format", "json", str(path)],
            cwd=workspace, capture_output=True, text=True,
        )
        return sorted(f["rule"] for f in json.loads(out.stdout)["findings"])

    assert check(sale) == []
    _, diags = await open_doc(client, sale, "liquid")
    assert codes(diags) == []

    bare = workspace / "transactional" / "spring-sale.liquid"
    bare.write_text(sale.read_text(encoding="utf-8"), encoding="utf-8")
    assert check(bare) == ["consent.no-opt-out"]
    _, diags = await open_doc(client, bare, "liquid")
    assert codes(diags) == ["consent.no-opt-out"]
