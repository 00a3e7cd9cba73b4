"""Shadow AI: the shipped catalogue, domain matching, and both kinds over a capture made
with real DNS, TLS and HTTP stacks."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from detect.behaviour import ai_capture
from detect.behaviour.builders import detector, flow, tx
from detect.behaviour.replay import Plant, feed, replay
from interlock.detect.behaviour.ai_catalogue import DomainMatcher, parse, shipped
from interlock.detect.hits import AssetView, Hit
from interlock.errors import ConfigError

VENDORS = {
    "OpenAI", "Anthropic", "Google", "Microsoft", "Amazon Web Services", "Mistral AI",
    "Cohere", "Hugging Face", "Perplexity", "DeepSeek", "Groq", "Together AI", "Replicate",
}  # fmt: skip


@pytest.fixture(scope="module")
def capture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ai") / "shadow-ai.pcap"
    ai_capture.write(path)
    return path


def test_the_shipped_catalogue_names_the_major_vendors_with_review_dates() -> None:
    catalogue = shipped()
    assert {s.vendor for s in catalogue.services} >= VENDORS
    for entry in (*catalogue.services, *catalogue.local_servers):
        assert datetime.date.fromisoformat(entry.reviewed) <= datetime.date(2026, 12, 31)
    assert {s.id for s in catalogue.local_servers} >= {"ollama", "lm-studio", "vllm"}
    ollama = next(s for s in catalogue.local_servers if s.id == "ollama")
    assert ollama.ports == {11434} and ollama.port_alone


@pytest.mark.parametrize(
    ("name", "service"),
    [
        ("api.openai.com", "openai"),
        ("API.OpenAI.com.", "openai"),
        ("chatgpt.com", "openai"),
        ("notopenai.com", None),
        ("openai.com.evil.example", None),
        ("generativelanguage.googleapis.com", "google-gemini"),
        ("storage.googleapis.com", None),
        ("europe-west4-aiplatform.googleapis.com", "google-vertex-ai"),
        ("plant-ai.openai.azure.com", "azure-openai"),
        ("bedrock-runtime.eu-central-1.amazonaws.com", "aws-bedrock"),
        ("s3.eu-central-1.amazonaws.com", None),
        ("bedrock-mantle.us-east-1.api.aws", "aws-bedrock"),
        ("api-inference.huggingface.co", "huggingface-inference"),
        ("cdn-lfs.huggingface.co", "huggingface-hub"),
        ("api.groq.com", "groq"),
        ("com", None),
    ],
)
def test_domains_match_by_labels_from_the_right(name: str, service: str | None) -> None:
    found = DomainMatcher(shipped().services).match(name)
    assert (found.service.id if found else None) == service


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("version: 2\nservices: []\nlocal_servers: []", "version: 1"),
        ("version: 1\nservices: {}\nlocal_servers: []", "`services` must be a list"),
        (
            "version: 1\nlocal_servers: []\nservices:\n- {id: x, vendor: V, service: S,"
            " category: cloud_api, domains: ['*.com'], reviewed: 2026-01-01}",
            "last two labels must be literal",
        ),
        (
            "version: 1\nlocal_servers: []\nservices:\n- {id: x, vendor: V, service: S,"
            " category: cloud_api, domains: [a.example], reviewed: soon}",
            "`reviewed` must be a date",
        ),
        (
            "version: 1\nlocal_servers: []\nservices:\n- {id: x, vendor: V, service: S,"
            " category: chatbot, domains: [a.example], reviewed: 2026-01-01}",
            "`category` must be one of",
        ),
        (
            "version: 1\nservices: []\nlocal_servers:\n- {id: o, product: P, ports: [],"
            " port_alone: true, paths: [/v1/], reviewed: 2026-01-01}",
            "true needs ports",
        ),
    ],
)
def test_a_bad_catalogue_is_one_clear_error(text: str, problem: str) -> None:
    with pytest.raises(ConfigError, match=r"catalogue\.yaml") as raised:
        parse(text, "catalogue.yaml")
    assert problem in str(raised.value)


def _by_source(hits: list[Hit]) -> dict[str, Hit]:
    return {h.details.get("source", h.details.get("seen_in", "http")): h for h in hits}


def test_cloud_ai_from_an_ot_host_by_dns_and_tls(capture: Path) -> None:
    plant = Plant({ai_capture.OT_HOST: AssetView(7, 2.0, "cell-b", ("hmi",))})
    hits = replay(capture, [detector("ai_service", context=plant, severity="medium")])
    found = _by_source(hits)
    assert set(found) == {"dns", "tls"}
    dns, tls = found["dns"], found["tls"]
    assert dns.details["name"] == ai_capture.LOOKED_UP and dns.details["vendor"] == "OpenAI"
    assert dns.outcome == "succeeded" and dns.dst.ip == ai_capture.RESOLVER
    assert tls.details["service"] == "anthropic" and tls.outcome == "attempted"
    assert {h.rule.severity for h in hits} == {"medium"}
    assert "(Purdue level 2, zone cell-b) looked up api.openai.com" in dns.message
    assert dns.details["zone_known"] and dns.details["roles"] == ["hmi"]


def test_unknown_hosts_are_reported_lower_and_it_hosts_not_at_all(capture: Path) -> None:
    hits = replay(capture, [detector("ai_service", severity="medium")])
    assert len(hits) == 2
    assert {h.rule.severity for h in hits} == {"low"}
    assert all("zone unknown" in h.message and not h.details["zone_known"] for h in hits)
    office = Plant({ai_capture.OT_HOST: AssetView(7, 4.0, "enterprise")})
    assert replay(capture, [detector("ai_service", context=office)]) == []


def test_sources_categories_and_repeats() -> None:
    ai = detector("ai_service", {"sources": ["http"], "extra_domains": ["llm.corp.example"]})
    items = [
        tx("dns", "query", "10.0.0.5:1", "10.0.0.53:53", 1.0, details={"query_name": "api.openai.com"}),
        tx("http", "POST", "10.0.0.5:2", "10.9.0.1:80", 2.0, details={"host": "llm.corp.example:8080"}),
        tx("http", "POST", "10.0.0.5:3", "10.9.0.1:80", 3.0, details={"host": "llm.corp.example"}),
    ]  # fmt: skip
    [hit] = feed(ai, items)
    assert hit.details["service"] == "site-list" and hit.ts == 2.0
    hubs_only = detector("ai_service", {"categories": ["model_hub"], "repeat_after": 0})
    lookups = [
        tx("dns", "query", "10.0.0.5:1", "10.0.0.53:53", float(i), details={"query_name": name})
        for i, name in enumerate(["api.openai.com", "huggingface.co", "huggingface.co"])
    ]
    assert [h.details["service"] for h in feed(hubs_only, lookups)] == ["huggingface-hub"] * 2


def test_a_local_ollama_called_from_an_ot_host(capture: Path) -> None:
    plant = Plant({ai_capture.MODEL_SERVER: AssetView(9, 3.0, "ops")})
    hits = replay(capture, [detector("local_ai_server", context=plant, severity="medium")])
    [hit] = hits  # the second call and the flow itself are the same server, reported once
    assert hit.details["product"] == "Ollama" and hit.details["path"] == "/api/tags"
    assert hit.details["plant_end"] == ai_capture.MODEL_SERVER and hit.rule.severity == "medium"
    assert hit.dst.port == 11434 and hit.outcome == "succeeded"


def test_local_servers_by_path_port_and_flow() -> None:
    local = detector("local_ai_server", {"repeat_after": 0})
    vllm = tx(
        "http", "POST", "10.0.0.5:1", "10.0.3.1:8000", 1.0, details={"uri": "/v1/chat/completions"}
    )
    lm = tx("http", "GET", "10.0.0.5:2", "10.0.3.2:1234", 2.0, details={"uri": "/v1/models?x=1"})
    generic = tx(
        "http", "POST", "10.0.0.5:3", "10.0.3.3:9999", 3.0, details={"uri": "/v1/embeddings"}
    )
    other = tx("http", "GET", "10.0.0.5:4", "10.0.3.4:8000", 4.0, details={"uri": "/api/tags"})
    models_elsewhere = tx(
        "http", "GET", "10.0.0.5:4", "10.0.3.4:9000", 5.0, details={"uri": "/v1/models"}
    )
    hits = feed(local, [vllm, lm, generic, other, models_elsewhere])
    assert [h.details["server_kind"] for h in hits] == ["vllm", "lm-studio", "openai-compatible"]
    assert {h.rule.severity for h in hits} == {"low"}
    flows = [
        flow("10.0.0.5:5", "10.0.3.5:11434", 6.0, packets=20),
        flow("10.0.0.5:6", "10.0.3.6:11434", 7.0, packets=2),  # a probe, not a conversation
        flow("10.0.0.5:7", "10.0.3.7:1234", 8.0, packets=20),  # 1234 alone says nothing
    ]
    [seen] = feed(local, flows)
    assert seen.details["seen_in"] == "flow" and seen.outcome == "unknown"
    assert "Ollama's port" in seen.message
