"""The fake Slack, driven by the real slack-bolt AsyncApp / slack-sdk clients (no studybot code)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack import FakeSlack

T = 5.0  # seconds any single await may take


async def next_item(q: asyncio.Queue) -> Any:
    return await asyncio.wait_for(q.get(), T)


async def items_before(q: asyncio.Queue, last: Any) -> list:
    """Everything the listener saw before ``last`` (a sentinel message ts) arrived."""
    out = []
    while True:
        item = await next_item(q)
        event = item[0] if isinstance(item, tuple) else item
        if event.get("ts") == last:
            return out
        out.append(item)


def bolt_app(fake: FakeSlack, *, retry_on_429: bool = True) -> AsyncApp:
    handlers = [AsyncRateLimitErrorRetryHandler(max_retry_count=2)] if retry_on_429 else None
    client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url, retry_handlers=handlers)
    return AsyncApp(client=client, signing_secret=fake.signing_secret)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as f:
        yield f
        assert f.errors == []  # background deliveries (echoes) all went through


@pytest.fixture
async def socket_app(fake: FakeSlack) -> AsyncIterator[AsyncApp]:
    app = bolt_app(fake)
    handler = AsyncSocketModeHandler(app, fake.app_token)
    app._test_handler = handler  # type: ignore[attr-defined]
    await asyncio.wait_for(handler.connect_async(), T)
    await fake.wait_for_connections(1)
    try:
        yield app
    finally:
        await asyncio.wait_for(handler.close_async(), T)


@pytest.fixture
async def http_app(fake: FakeSlack) -> AsyncIterator[AsyncApp]:
    app = bolt_app(fake)
    runner = web.AppRunner(app.web_app(path="/slack/events"), handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    fake.mode = "http"
    fake.app_url = f"http://127.0.0.1:{port}/slack/events"
    try:
        yield app
    finally:
        await runner.cleanup()


# --------------------------------------------------------------------------- Web API


async def test_auth_test_and_token_errors(fake: FakeSlack) -> None:
    good = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
    me = await good.auth_test()
    assert me["user_id"] == fake.team.bot_user_id and me["bot_id"] == fake.team.bot_id
    assert me["team_id"] == fake.team.team_id and me["is_enterprise_install"] is False
    assert fake.calls[-1].token_kind == "bot"

    bad = AsyncWebClient(token="xoxb-wrong", base_url=fake.api_url)
    with pytest.raises(SlackApiError) as err:
        await bad.auth_test()
    assert err.value.response["error"] == "invalid_auth"

    with pytest.raises(SlackApiError) as err:
        await good.api_call("chat.frobnicate", json={"x": 1})
    assert err.value.response["error"] == "unknown_method"
    assert fake.calls[-1].method == "chat.frobnicate"

    user = (await good.users_info(user=fake.admin.id))["user"]
    assert user["is_admin"] is True and user["profile"]["display_name"] == "Ada"
    owner = (await good.users_info(user=fake.owner.id))["user"]
    assert owner["is_owner"] is True
    assert (await good.users_info(user=fake.other_bot.id))["user"]["is_bot"] is True


async def test_one_address_for_many_workspaces_serves_each_token_as_its_own_team() -> None:
    from tests.fakes.slack.installs import FakeSlackInstalls

    async with (
        FakeSlack(mode="none") as one,
        FakeSlack(mode="none", team_id="T0TEAM0002", bot_user_id="U0BOT00002", bot_id="B0BOT00002") as two,
        FakeSlackInstalls(one, two) as slack,
    ):
        one.bot_token, two.bot_token = "xoxb-one", "xoxb-two"
        for workspace, token in ((one, "xoxb-one"), (two, "xoxb-two")):
            me = await AsyncWebClient(token=token, base_url=slack.api_url).auth_test()
            assert (me["team_id"], me["user_id"]) == (workspace.team.team_id, workspace.team.bot_user_id)
        with pytest.raises(SlackApiError) as wrong:
            await AsyncWebClient(token="xoxb-nobody", base_url=slack.api_url).auth_test()
        assert wrong.value.response["error"] == "invalid_auth" and slack.refused[-1].token == "xoxb-nobody"
        one.revoked_tokens.add("xoxb-one")
        one.bot_token = "xoxb-one-again"
        with pytest.raises(SlackApiError) as revoked:
            await AsyncWebClient(token="xoxb-one", base_url=slack.api_url).chat_postMessage(channel="general", text="x")
        assert revoked.value.response["error"] == "token_revoked"
        with pytest.raises(SlackApiError) as bad_code:
            await AsyncWebClient(base_url=slack.api_url).oauth_v2_access(
                client_id=slack.client_id, client_secret=slack.client_secret, code="never-issued"
            )
        assert bad_code.value.response["error"] == "invalid_code"


async def test_post_errors_and_not_in_channel(fake: FakeSlack) -> None:
    client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
    fake.remove_bot_from(fake.general)
    with pytest.raises(SlackApiError) as err:
        await client.chat_postMessage(channel=fake.general.id, text="hi")
    assert err.value.response["error"] == "not_in_channel"
    with pytest.raises(SlackApiError) as err:
        await client.chat_postMessage(channel="C0NOPE0000", text="hi")
    assert err.value.response["error"] == "channel_not_found"
    with pytest.raises(SlackApiError) as err:
        await client.conversations_replies(channel=fake.private.id, ts="1.000000")
    assert err.value.response["error"] == "thread_not_found"
    assert fake.messages_in(fake.general) == []


async def test_rate_limit_is_waited_out_with_retry_handler(fake: FakeSlack) -> None:
    plain = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)  # default: connection errors only
    fake.rate_limit("chat.postMessage", times=1, retry_after=0)
    with pytest.raises(SlackApiError) as err:
        await plain.chat_postMessage(channel=fake.general.id, text="first")
    assert err.value.response.status_code == 429 and err.value.response["error"] == "ratelimited"
    assert err.value.response.headers["Retry-After"] == "0"

    patient = AsyncWebClient(
        token=fake.bot_token, base_url=fake.api_url, retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)]
    )
    fake.rate_limit("chat.postMessage", times=1, retry_after=0)
    resp = await patient.chat_postMessage(channel=fake.general.id, text="second")
    assert resp["ok"]
    statuses = [c.status for c in fake.calls_to("chat.postMessage")]
    assert statuses == [429, 429, 200]
    assert [m.text for m in fake.messages_in(fake.general)] == ["second"]


async def test_replies_pagination_history_and_form_bodies(fake: FakeSlack) -> None:
    client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
    parent = await fake.user_message(fake.general, fake.alice, "What is overfitting?", mode="none")  # no app
    assert isinstance(parent, str)
    for i in range(4):
        await client.chat_postMessage(channel=fake.general.id, thread_ts=parent, text=f"hint {i}")
    page1 = await client.conversations_replies(channel=fake.general.id, ts=parent, limit=2)
    assert [m["text"] for m in page1["messages"]] == ["What is overfitting?", "hint 0"]
    assert page1["messages"][0]["reply_count"] == 4 and page1["has_more"] is True
    page2 = await client.conversations_replies(
        channel=fake.general.id, ts=parent, limit=2, cursor=page1["response_metadata"]["next_cursor"]
    )
    assert [m["text"] for m in page2["messages"]] == ["hint 1", "hint 2"]
    page3 = await client.conversations_replies(
        channel=fake.general.id, ts=parent, limit=2, cursor=page2["response_metadata"]["next_cursor"]
    )
    assert [m["text"] for m in page3["messages"]] == ["hint 3"] and page3["response_metadata"]["next_cursor"] == ""
    assert all(m.get("parent_user_id") == fake.alice.id for m in page2["messages"])
    oldest = await client.conversations_replies(channel=fake.general.id, ts=parent, oldest=page2["messages"][1]["ts"])
    assert [m["text"] for m in oldest["messages"]] == ["What is overfitting?", "hint 3"]
    history = await client.conversations_history(channel=fake.general.id)
    assert [m["text"] for m in history["messages"]] == ["What is overfitting?"]
    # chat.delete / reactions.add are form-encoded by slack_sdk; chat.update is JSON
    await client.reactions_add(channel=fake.general.id, timestamp=parent, name="eyes")
    assert fake.calls[-1].content_type == "application/x-www-form-urlencoded"
    assert fake.message(fake.general, parent).reactions == {"eyes": [fake.team.bot_user_id]}
    link = await client.chat_getPermalink(channel=fake.general.id, message_ts=parent)
    assert link["permalink"].endswith("/archives/C0GENERAL1/p" + parent.replace(".", ""))


# --------------------------------------------------------------------------- Socket Mode


async def test_socket_mode_message_in_thread_and_bot_reply(fake: FakeSlack, socket_app: AsyncApp) -> None:
    seen: asyncio.Queue = asyncio.Queue()

    @socket_app.event("message")
    async def on_message(event: dict, client: AsyncWebClient) -> None:
        await seen.put(event)
        if event.get("thread_ts"):
            await client.chat_postMessage(
                channel=event["channel"],
                thread_ts=event["thread_ts"],
                text="Good answer!",
                blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "*Good answer!*"}}],
                unfurl_links=False,
            )

    assert fake.calls_to("apps.connections.open")[0].token_kind == "app"
    question = await fake.user_message(fake.general, fake.alice, "Q: bias vs variance?")
    first = await next_item(seen)
    assert first["ts"] == question and first["user"] == fake.alice.id and "thread_ts" not in first

    reply = await fake.user_message(fake.general, fake.bob, "A: tradeoff", thread_ts=question)
    ev = await next_item(seen)
    assert ev["thread_ts"] == question and ev["parent_user_id"] == fake.alice.id and ev["ts"] == reply
    assert ev["channel_type"] == "channel"

    post = await fake.wait_for(lambda c: c.method == "chat.postMessage" and c.ok)
    assert post.params["blocks"][0]["text"]["text"] == "*Good answer!*"
    assert post.params["unfurl_links"] is False
    thread = fake.thread(fake.general, question)
    assert [m.text for m in thread] == ["Q: bias vs variance?", "A: tradeoff", "Good answer!"]
    assert thread[-1].bot_id == fake.team.bot_id and thread[-1].params["unfurl_links"] is False

    # Slack echoes the bot's post as a message event; bolt acks it but our listener must not see it.
    await fake.wait_until(lambda: len(fake.envelopes) == 3 and all(e.envelope_id in fake.acks for e in fake.envelopes))
    assert fake.envelopes[-1].payload["event"]["bot_id"] == fake.team.bot_id
    sentinel = await fake.user_message(fake.general, fake.alice, "sentinel")
    assert await items_before(seen, sentinel) == []
    assert len(fake.calls_to("auth.test")) == 1  # single-workspace authorization, cached


async def test_socket_mode_slash_command_modal_and_submission(fake: FakeSlack, socket_app: AsyncApp) -> None:
    submitted: asyncio.Queue = asyncio.Queue()

    @socket_app.command("/study")
    async def on_study(ack, command: dict, client: AsyncWebClient) -> None:
        await ack(f"Starting {command['text']}")
        await client.views_open(
            trigger_id=command["trigger_id"],
            view={
                "type": "modal",
                "callback_id": "answer_modal",
                "private_metadata": command["channel_id"],
                "title": {"type": "plain_text", "text": "Answer"},
                "submit": {"type": "plain_text", "text": "Send"},
                "blocks": [
                    {
                        "type": "input",
                        "block_id": "answer_block",
                        "label": {"type": "plain_text", "text": "Your answer"},
                        "element": {"type": "plain_text_input", "action_id": "answer"},
                    }
                ],
            },
        )

    @socket_app.view("answer_modal")
    async def on_submit(ack, view: dict, body: dict) -> None:
        await ack()
        await submitted.put((view, body))

    d = await fake.slash_command(fake.alice, fake.general, "/study", "ml-basics")
    ack = await fake.wait_for_ack(d.envelope_id)
    assert ack.payload == {"text": "Starting ml-basics"}
    assert fake.envelopes[0].type == "slash_commands" and fake.envelopes[0].accepts_response_payload

    await fake.wait_for("views.open")
    assert fake.views[0].callback_id == "answer_modal" and fake.views[0].user_id == fake.alice.id
    with pytest.raises(SlackApiError) as err:  # trigger ids are single use
        await socket_app.client.views_open(trigger_id=d.trigger_id, view={"type": "modal", "blocks": []})
    assert err.value.response["error"] == "exchanged_trigger_id"

    s = await fake.submit_view(fake.alice, "answer_modal", {"answer": "low bias"})
    view, body = await next_item(submitted)
    assert view["state"]["values"]["answer_block"]["answer"]["value"] == "low bias"
    assert view["private_metadata"] == fake.general.id and body["user"]["id"] == fake.alice.id
    assert (await fake.wait_for_ack(s.envelope_id)).payload is None


async def test_socket_mode_button_click_and_response_url(fake: FakeSlack, socket_app: AsyncApp) -> None:
    clicks: asyncio.Queue = asyncio.Queue()

    @socket_app.action("pick_a")
    async def on_pick(ack, body: dict, action: dict, respond) -> None:
        await ack()
        await clicks.put((body, action))
        await respond(text="Recorded A", replace_original=False)

    posted = await socket_app.client.chat_postMessage(
        channel=fake.general.id,
        text="Q1",
        blocks=[
            {"type": "section", "text": {"type": "mrkdwn", "text": "Q1"}},
            {
                "type": "actions",
                "block_id": "choices",
                "elements": [
                    {"type": "button", "action_id": "pick_a", "value": "a", "text": {"type": "plain_text", "text": "A"}}
                ],
            },
        ],
    )
    assert posted["message"]["blocks"][1]["block_id"] == "choices"
    await fake.click_button(fake.bob, fake.general, posted["ts"], "pick_a")
    body, action = await next_item(clicks)
    assert body["type"] == "block_actions" and body["container"]["message_ts"] == posted["ts"]
    assert action["value"] == "a" and action["block_id"] == "choices"
    await fake.wait_until(lambda: fake.response_posts)
    assert fake.response_posts[0].body["text"] == "Recorded A"


async def test_socket_mode_disconnect_reconnect_and_redelivery(fake: FakeSlack, socket_app: AsyncApp) -> None:
    seen: asyncio.Queue = asyncio.Queue()

    @socket_app.event("reaction_added")
    async def on_reaction(event: dict) -> None:
        await seen.put(event)

    ts = await fake.user_message(fake.general, fake.alice, "react to me")
    await fake.socket_disconnect(reason="refresh_requested")
    await fake.wait_for_connections(2)
    assert len(fake.calls_to("apps.connections.open")) == 2

    await fake.user_react(fake.general, ts, fake.bob, "+1")
    ev = await next_item(seen)
    assert ev["item"] == {"type": "message", "channel": fake.general.id, "ts": ts}
    assert ev["item_user"] == fake.alice.id and ev["reaction"] == "+1"

    await fake.socket_drop()
    await fake.wait_for_connections(3)
    again = await fake.deliver_again(fake.envelopes[-1].payload["event_id"], retry_reason="timeout")
    ev = await next_item(seen)
    assert ev["reaction"] == "+1"
    assert (await fake.wait_for_ack(again.envelope_id)).envelope_id == again.envelope_id
    assert fake.envelopes[-1].retry_attempt == 1


async def test_socket_mode_edits_deletes_joins_and_own_echoes(fake: FakeSlack, socket_app: AsyncApp) -> None:
    seen: asyncio.Queue = asyncio.Queue()

    @socket_app.event("message")
    async def on_message(event: dict) -> None:
        await seen.put(event)

    @socket_app.event("member_joined_channel")
    async def on_join(event: dict) -> None:
        await seen.put(event)

    ts = await fake.user_message(fake.general, fake.alice, "v1")
    assert (await next_item(seen))["text"] == "v1"
    await fake.user_edit(fake.general, ts, "v2")
    ev = await next_item(seen)
    assert ev["subtype"] == "message_changed" and ev["message"]["text"] == "v2" and ev["message"]["ts"] == ts
    assert ev["previous_message"]["text"] == "v1" and ev["message"]["edited"]["user"] == fake.alice.id
    await fake.user_delete(fake.general, ts)
    ev = await next_item(seen)
    assert ev["subtype"] == "message_deleted" and ev["deleted_ts"] == ts and ev["previous_message"]["text"] == "v2"
    assert fake.messages_in(fake.general) == []

    carol = fake.add_user("carol")
    await fake.user_join(fake.general, carol)
    assert (await next_item(seen))["type"] == "member_joined_channel"
    ev = await next_item(seen)
    assert ev["subtype"] == "channel_join" and ev["user"] == carol.id

    other = await fake.bot_message(fake.general, "beep from another integration")
    ev = await next_item(seen)
    assert ev["subtype"] == "bot_message" and ev["bot_id"] == "B0OTHER001" and ev["ts"] == other

    client = socket_app.client
    posted = await client.chat_postMessage(channel=fake.general.id, text="x")
    await client.chat_update(channel=fake.general.id, ts=posted["ts"], text="y")
    await client.reactions_add(channel=fake.general.id, timestamp=posted["ts"], name="white_check_mark")
    await client.chat_delete(channel=fake.general.id, ts=posted["ts"])
    eph = await client.chat_postEphemeral(channel=fake.general.id, user=fake.alice.id, text="psst")
    assert fake.ephemerals[0].message_ts == eph["message_ts"] and fake.ephemerals[0].user == fake.alice.id
    kinds = [e.get("subtype") or e["type"] for e in fake.echoes]
    assert kinds == ["message", "message_changed", "reaction_added", "message_deleted"]
    await fake.wait_until(lambda: len(fake.envelopes) == 10 and all(e.envelope_id in fake.acks for e in fake.envelopes))
    sentinel = await fake.user_message(fake.general, fake.alice, "sentinel")
    assert await items_before(seen, sentinel) == []  # bolt drops the bot's own message/changed/deleted echoes


async def test_raw_socket_wire_format_and_unacked_redelivery(fake: FakeSlack) -> None:
    opened = await AsyncWebClient(base_url=fake.api_url).apps_connections_open(app_token=fake.app_token)
    assert opened["url"].startswith(f"ws://127.0.0.1:{fake.port}/socket-mode?ticket=")
    with pytest.raises(SlackApiError) as err:
        await AsyncWebClient(base_url=fake.api_url).apps_connections_open(app_token=fake.bot_token)
    assert err.value.response["error"] == "not_allowed_token_type"
    async with aiohttp.ClientSession() as session, session.ws_connect(opened["url"]) as ws:
        hello = await ws.receive_json(timeout=T)
        assert hello["type"] == "hello" and hello["connection_info"]["app_id"] == fake.team.api_app_id
        await ws.ping(b"sdk-ping-pong:1")
        d = await fake.user_message(fake.general, fake.alice, "hello?")
        first = await ws.receive_json(timeout=T)
        assert first["type"] == "events_api" and first["envelope_id"] == d.envelope_id
        assert first["retry_attempt"] == 0 and first["payload"]["event"]["text"] == "hello?"
        assert first["payload"]["type"] == "event_callback" and first["payload"]["event_id"] == d.event_id
        again = await fake.redeliver_unacked()
        second = await ws.receive_json(timeout=T)
        assert second["envelope_id"] == again[0].envelope_id != first["envelope_id"]
        assert second["retry_attempt"] == 1 and second["retry_reason"] == "timeout"
        assert second["payload"]["event_id"] == first["payload"]["event_id"]
        await ws.send_json({"envelope_id": second["envelope_id"]})
        assert (await fake.wait_for_ack(second["envelope_id"])).payload is None
        assert await fake.redeliver_unacked() == []


# --------------------------------------------------------------------------- HTTP mode


async def test_http_mode_signatures(fake: FakeSlack, http_app: AsyncApp) -> None:
    seen: asyncio.Queue = asyncio.Queue()

    @http_app.event("message")
    async def on_message(event: dict, request) -> None:
        await seen.put((event, request.headers.get("x-slack-retry-num")))

    ok = await fake.user_message(fake.general, fake.alice, "signed")
    assert ok.status == 200 and ok.mode == "http"
    event, retry = await next_item(seen)
    assert event["text"] == "signed" and retry is None

    for opts in ({"signature": "forged"}, {"signature": "missing"}, {"stale": True}):
        bad = await fake.user_message(fake.general, fake.alice, "evil", **opts)
        assert bad.status == 401, opts

    again = await fake.deliver_again(ok.event_id)
    assert again.status == 200 and again.event_id == ok.event_id
    event, retry = await next_item(seen)
    assert event["ts"] == ok and retry == ["1"]
    assert again.http.request_headers["X-Slack-Retry-Reason"] == "http_timeout"
    assert seen.empty()

    # the bot's own post is echoed to the app over HTTP too (and bolt drops it as a self event)
    await http_app.client.chat_postMessage(channel=fake.general.id, text="from the bot")
    echo = await fake.wait_until(lambda: [d for d in fake.deliveries if d.payload.get("event", {}).get("bot_id")])
    assert echo[0].status == 200
    sentinel = await fake.user_message(fake.general, fake.alice, "sentinel")
    assert await items_before(seen, sentinel) == []


async def test_http_mode_url_verification_and_slash_command(fake: FakeSlack, http_app: AsyncApp) -> None:
    v = await fake.url_verification("challenge-123")
    assert v.status == 200 and v.json == {"challenge": "challenge-123"}
    assert (await fake.ssl_check()).status == 200

    @http_app.command("/study")
    async def on_study(ack, command: dict) -> None:
        await ack(f"ok {command['user_name']}")

    d = await fake.slash_command(fake.bob, fake.general, "/study", "start")
    assert d.status == 200 and d.body == "ok bob"

    clicked: asyncio.Queue = asyncio.Queue()

    @http_app.action("go")
    async def on_go(ack, action: dict) -> None:
        await ack()
        await clicked.put(action)

    ts = await fake.user_message(fake.general, fake.alice, "click below")
    c = await fake.click_button(fake.alice, fake.general, ts, "go", "42", block_id="b1")
    assert c.status == 200
    assert (await next_item(clicked))["value"] == "42"


# --------------------------------------------------------------------------- what real Slack refuses


async def test_scopes_block_kit_limits_and_metadata_are_enforced() -> None:
    async with FakeSlack(bot_scopes="chat:write,channels:history") as fake:
        client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
        with pytest.raises(SlackApiError) as refused:
            await client.users_info(user=fake.alice.id)
        assert refused.value.response["error"] == "missing_scope"
        assert refused.value.response["needed"] == "users:read"
        with pytest.raises(SlackApiError) as private:
            await client.conversations_history(channel=fake.private.id)
        assert private.value.response["needed"] == "groups:history"

        too_many = [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}] * 51
        too_long = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]
        for blocks, said in ((too_many, "less than 51 items"), (too_long, "less than 3001 characters")):
            with pytest.raises(SlackApiError) as invalid:
                await client.chat_postMessage(channel=fake.general.id, text="t", blocks=blocks)
            assert invalid.value.response["error"] == "invalid_blocks"
            assert said in invalid.value.response["response_metadata"]["messages"][0]
        with pytest.raises(SlackApiError) as long_text:
            await client.chat_postMessage(channel=fake.general.id, text="x" * 40_001)
        assert long_text.value.response["error"] == "msg_too_long"

        await client.chat_postMessage(
            channel=fake.general.id, text="q", metadata={"event_type": "e", "event_payload": {"k": "v"}}
        )
        plain = await client.conversations_history(channel=fake.general.id)
        assert "metadata" not in plain["messages"][0]
        full = await client.conversations_history(channel=fake.general.id, include_all_metadata=True)
        assert full["messages"][0]["metadata"]["event_payload"] == {"k": "v"}

        await fake.user_react(
            fake.general, (await fake.user_message(fake.general, fake.alice, "hi", mode="none")), fake.bob
        )
        assert [event["type"] for event in fake.undelivered] == ["reaction_added"]  # no reactions:read


async def test_trigger_ids_and_response_urls_expire(fake: FakeSlack) -> None:
    client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "t"}, "blocks": []}
    trigger = fake._issue_trigger(fake.alice.id)
    fake.advance(3.5)
    with pytest.raises(SlackApiError) as expired:
        await client.views_open(trigger_id=trigger, view=modal)
    assert expired.value.response["error"] == "expired_trigger_id"

    url = fake._issue_response_url({"channel_id": fake.general.id})
    async with aiohttp.ClientSession() as session:
        statuses = []
        for _ in range(6):
            async with session.post(url, json={"text": "hi", "response_type": "ephemeral"}) as answer:
                statuses.append((answer.status, await answer.text()))
        assert statuses[:5] == [(200, "ok")] * 5 and statuses[5] == (404, "used_url")
        late = fake._issue_response_url({"channel_id": fake.general.id})
        fake.advance(30 * 60 + 1)
        async with session.post(late, json={"text": "hi"}) as answer:
            assert (answer.status, await answer.text()) == (404, "expired_url")


async def test_file_uploads_take_the_announced_bytes_once_and_share_only_complete_files(fake: FakeSlack) -> None:
    client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
    shared = await client.files_upload_v2(channel=fake.general.id, content=b"\x89PNG card", filename="card.png")
    [upload] = fake.files.shared_in(fake.general.id)
    assert shared["file"]["id"] == upload.id and upload.data == b"\x89PNG card" and upload.mimetype == "image/png"
    assert upload.message is not None and upload.message.params["files"][0]["name"] == "card.png"

    got = await client.files_getUploadURLExternal(filename="late.png", length=4)
    with pytest.raises(SlackApiError) as early:  # completed before its bytes arrived
        await client.files_completeUploadExternal(files=[{"id": got["file_id"]}], channel_id=fake.general.id)
    assert early.value.response["error"] == "file_upload_not_complete"
    async with aiohttp.ClientSession() as session:
        async with session.post(got["upload_url"], data=b"too long") as wrong:
            assert wrong.status == 400
        async with session.post(got["upload_url"], data=b"four") as right:
            assert right.status == 200
        async with session.post(got["upload_url"], data=b"four") as again:
            assert again.status == 404
    with pytest.raises(SlackApiError) as outside:
        await client.files_completeUploadExternal(files=[{"id": got["file_id"]}], channel_id=fake.random.id)
    assert outside.value.response["error"] == "not_in_channel"


async def test_a_user_id_as_channel_is_a_direct_message_and_refusals_are_slacks_errors(fake: FakeSlack) -> None:
    client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
    sent = await client.chat_postMessage(channel=fake.alice.id, text="hello")
    assert fake.channel(sent["channel"]).is_im and fake.channel(sent["channel"]).im_user == fake.alice.id
    with pytest.raises(SlackApiError) as to_a_bot:
        await client.chat_postMessage(channel=fake.other_bot.id, text="hello")
    assert to_a_bot.value.response["error"] == "cannot_dm_bot"
    fake.refuse_dms(fake.bob, "not_allowed")
    with pytest.raises(SlackApiError) as refused:
        await client.chat_postMessage(channel=fake.bob.id, text="hello")
    assert refused.value.response["error"] == "not_allowed"
