"""Requests that are cheap to send and were dear to answer, on the event loop every client shares: a body of many
unknown fields (an error each), and the OpenAPI document (its Run schemas made again for every request)."""

from .helpers import cpu_clock


def test_a_body_of_many_unknown_fields_is_refused_with_one_error_at_once(make_client):
    many = {f"k{i}": 1 for i in range(30_000)}
    with make_client(max_request_bytes=1 << 20) as client:
        for body in ({"code": "x = 1", **many}, {"code": "x = 1", "options": many}):
            answer = client.post("/api/runs", json=body)
            assert answer.status_code == 422, answer.text
            detail = answer.json()["detail"]
            assert len(detail) == 1 and "'k0'" in detail[0]["msg"] and "29997 more" in detail[0]["msg"], detail
            # (an error each: 30,000 made and written, 200 ms of the event loop, and 2 MB answered)
            assert len(answer.content) < 1000
        # one known field among unknown ones, and none: as before
        assert client.post("/api/runs", json={"code": "x = 1", "optionz": {}}).status_code == 422
        assert client.post("/api/runs", json={"code": "x = 1", "options": {"max_elements": 3}}).status_code == 201


def test_the_openapi_document_is_completed_once(make_client):
    with make_client() as client:
        first = client.get("/openapi.json").json()
        app = client.app
        with cpu_clock() as spent:
            for _ in range(20):
                app.openapi()  # type: ignore[attr-defined]
            assert spent() < 0.02  # (9 ms each when the Run's schemas were made each time)
        assert client.get("/openapi.json").json() == first and "Run" in first["components"]["schemas"]
