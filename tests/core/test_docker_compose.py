from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def load_compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_names_every_production_service_with_a_health_check():
    services = load_compose()["services"]
    for name in ["postgres", "redis", "web", "worker", "beat"]:
        assert name in services, f"{name} missing from docker-compose.yml"
        assert "healthcheck" in services[name], f"{name} has no health check"


def test_compose_runs_the_same_commands_as_make_serve():
    services = load_compose()["services"]
    dev = (ROOT / "scripts" / "dev.py").read_text()
    assert "gunicorn aimusicstore.wsgi" in " ".join(services["web"]["command"])
    assert "gunicorn aimusicstore.wsgi" in dev
    assert services["worker"]["command"][:4] == ["celery", "-A", "aimusicstore", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "aimusicstore", "beat"]
    assert "-A aimusicstore worker" in dev and "-A aimusicstore beat" in dev


def test_web_and_workers_can_scale_out():
    services = load_compose()["services"]
    for name in ["web", "worker"]:
        assert "container_name" not in services[name], "a fixed container_name prevents --scale"
        ports = services[name].get("ports", [])
        assert not any(":" in str(port) for port in ports), "a fixed host port prevents --scale"
    assert "proxy" in services, "web replicas need a proxy in front"


def test_nginx_serves_media_from_the_volume_the_app_writes():
    services = load_compose()["services"]
    media_mounts = {name: [v for v in services[name].get("volumes", []) if str(v).startswith("media:")]
                    for name in ("web", "worker", "proxy")}
    assert all(media_mounts.values()), media_mounts
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "location /media/" in nginx and "alias /srv/media/" in nginx


def test_every_long_running_service_restarts_after_a_crash():
    services = load_compose()["services"]
    for name in ["postgres", "redis", "web", "worker", "beat", "proxy"]:
        assert services[name].get("restart") == "unless-stopped", name
