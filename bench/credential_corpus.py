"""A labelled corpus of credentials in the syntaxes they really appear in, generated (seeded).

Provenance: the syntaxes follow the true-positive examples of public scanner rules — gitleaks'
`cmd/generate/config/rules/*.go` (generic-api-key, curl, database, kubernetes, private keys,
vendor rules) and Yelp/detect-secrets' plugins and their tests (keyword, basic auth, private
key, high-entropy strings) — and the documented formats of MySQL, PostgreSQL, SQL Server,
JDBC/ODBC/ADO.NET, libpq, Spring, Maven, .NET `web.config`, Docker and Kubernetes. No line is
copied from those projects: every file below is a template written here, and every secret is
drawn from a seeded random generator, so the corpus holds no real credential.

Each generated file is a list of lines with the indices of the lines that hold a credential
(every line of a private-key block counts). Files also carry lines that only look like
credentials (`password: ${DB_PASSWORD}`, `docker run -p 8080:80`, `password = getpass()`),
which a scanner must leave alone.
"""

from __future__ import annotations

import base64
import random
import string
from collections.abc import Callable
from dataclasses import dataclass

ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"
HEX = "0123456789abcdef"
WORDS = ("summer", "winter", "dragon", "monkey", "sunshine", "orange", "falcon", "harbor",
         "velvet", "copper", "maple", "rocket", "tiger", "silver", "garden", "castle")


@dataclass(frozen=True)
class CorpusFile:
    name: str
    syntax: str
    lines: tuple[str, ...]
    secret_lines: frozenset[int]


def _r(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def password(rng: random.Random) -> str:
    """Passwords as people and generators write them: strong random, word+digits, passphrases."""
    kind = rng.randrange(4)
    if kind == 0:
        return _r(rng, ALNUM + "!#%^*+-_", rng.randint(12, 20))
    if kind == 1:
        return rng.choice(WORDS).capitalize() + str(rng.randint(1, 2030)) + rng.choice("!#.?")
    if kind == 2:
        return "-".join(rng.sample(WORDS, 3)) + str(rng.randint(1, 99))
    return rng.choice(WORDS) + _r(rng, string.digits, 3) + _r(rng, ALNUM, 4)


def token(rng: random.Random) -> str:
    return _r(rng, ALNUM, rng.choice((24, 32, 40)))


def hex_key(rng: random.Random) -> str:
    return _r(rng, HEX, rng.choice((32, 64)))


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def pem_block(rng: random.Random, label: str) -> list[str]:
    body = [_r(rng, B64, 64) for _ in range(rng.randint(4, 8))] + [_r(rng, B64, 20) + "=="]
    return [f"-----BEGIN {label}-----", *body, f"-----END {label}-----"]


Template = Callable[[random.Random], tuple[list[str], set[int]]]


def _lines(*parts: str | tuple[str]) -> tuple[list[str], set[int]]:
    """Plain strings are clean lines; 1-tuples are credential lines."""
    lines: list[str] = []
    secret: set[int] = set()
    for part in parts:
        if isinstance(part, tuple):
            secret.add(len(lines))
            lines.append(part[0])
        else:
            lines.append(part)
    return lines, secret


def sql(rng: random.Random) -> tuple[list[str], set[int]]:
    p = password
    return _lines(
        "-- provision the application schema",
        "CREATE DATABASE orders CHARACTER SET utf8mb4;",
        (f"CREATE USER 'orders_app'@'%' IDENTIFIED BY '{p(rng)}';",),
        "GRANT SELECT, INSERT, UPDATE ON orders.* TO 'orders_app'@'%';",
        (f"ALTER USER 'report'@'localhost' IDENTIFIED WITH mysql_native_password BY '{p(rng)}';",),
        (f"CREATE ROLE analyst WITH LOGIN PASSWORD '{p(rng)}' VALID UNTIL '2027-01-01';",),
        (f"ALTER ROLE etl PASSWORD '{p(rng)}';",),
        (f"SET PASSWORD FOR 'legacy'@'localhost' = PASSWORD('{p(rng)}');",),
        (f"CREATE LOGIN svc_reporting WITH PASSWORD = '{p(rng)}', CHECK_POLICY = OFF;",),
        (f"GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' IDENTIFIED BY \"{p(rng)}\";",),
        "SELECT user, host FROM mysql.user WHERE password_expired = 'N';",
        "ALTER TABLE accounts ADD COLUMN password_hash VARCHAR(255) NOT NULL;",
        "UPDATE accounts SET password_hash = ? WHERE id = ?;",
        "FLUSH PRIVILEGES;",
    )


def command_line(rng: random.Random) -> tuple[list[str], set[int]]:
    p = password
    return _lines(
        "#!/bin/sh",
        "set -eu",
        (f"mysql -u root -p{_r(rng, ALNUM, 12)} -h db.internal orders < schema.sql",),
        (f"mysqldump --user=backup --password={p(rng)} --all-databases > /backup/all.sql",),
        (f"mysqladmin -uroot -p'{p(rng)}' status",),
        (f"curl -u admin:{p(rng)} https://ci.internal/api/json",),
        (f"curl --user deploy:{p(rng)} -X POST https://nexus.internal/service/rest",),
        (f"PGPASSWORD={p(rng)} psql -h db.internal -U app -d orders -c 'select 1'",),
        (f"sshpass -p '{p(rng)}' ssh ops@10.0.3.7 uptime",),
        (f"redis-cli -h cache.internal -a {p(rng)} ping",),
        (f"docker login -u ci-bot -p {p(rng)} registry.internal",),
        (f"mongosh --username admin --password {p(rng)} --authenticationDatabase admin",),
        (f"htpasswd -b -c /etc/nginx/.htpasswd admin {p(rng)}",),
        (f"wget --user=mirror --password={p(rng)} https://files.internal/dump.tgz",),
        "docker run -d -p 8080:80 -p 5432:5432 nginx:1.27",
        "mysql -u root -p orders   # prompts for the password",
        "ssh -p 2222 ops@bastion.internal",
        "curl -u \"$CI_USER:$CI_PASSWORD\" https://ci.internal/api/json",
        "tar -czf backup.tgz /var/lib/app",
    )


def dsn(rng: random.Random) -> tuple[list[str], set[int]]:
    p = password
    return _lines(
        "# connection strings used by the services",
        (f"postgresql://orders:{p(rng)}@db.internal:5432/orders?sslmode=require",),
        (f"mysql://app:{p(rng)}@mysql.internal:3306/shop",),
        (f"mongodb+srv://admin:{p(rng)}@cluster0.ab1cd.mongodb.net/prod?retryWrites=true",),
        (f"redis://:{p(rng)}@cache.internal:6379/0",),
        (f"amqp://worker:{p(rng)}@rabbit.internal:5672/vhost",),
        (f"Server=sql.internal;Database=Billing;User Id=billing;Password={p(rng)};",),
        (f"Data Source=tcp:sql01,1433;Initial Catalog=Crm;User ID=crm;Pwd={p(rng)};Encrypt=True",),
        (f"jdbc:mysql://mysql.internal:3306/shop?user=shop&password={p(rng)}&useSSL=true",),
        (f"jdbc:oracle:thin:scott/{p(rng)}@oracle.internal:1521:ORCL",),
        (f"Driver={{ODBC Driver 18 for SQL Server}};Server=sql02;UID=etl;PWD={p(rng)}",),
        (f"host=db.internal port=5432 dbname=orders user=orders password={p(rng)} sslmode=require",),
        (f"sqlplus system/{p(rng)}@//oracle.internal:1521/XEPDB1",),
        (f"smtp://mailer:{p(rng)}@smtp.internal:587",),
        (f"https://deploy:{p(rng)}@git.internal/platform/infra.git",),
        "postgresql://orders@db.internal:5432/orders",
        "Server=sql.internal;Database=Billing;Integrated Security=SSPI;",
        "https://docs.internal/wiki/Passwords_and_rotation",
    )


def xml(rng: random.Random) -> tuple[list[str], set[int]]:
    p = password
    return _lines(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
        "<configuration>",
        "  <appSettings>",
        (f"    <add key=\"DbPassword\" value=\"{p(rng)}\" />",),
        (f"    <add key=\"ApiSecret\" value=\"{token(rng)}\" />",),
        "    <add key=\"PageSize\" value=\"50\" />",
        "  </appSettings>",
        "  <connectionStrings>",
        (f"    <add name=\"Main\" connectionString=\"Server=sql;User Id=app;Password={p(rng)};\" />",),
        "  </connectionStrings>",
        "  <servers>",
        "    <server>",
        "      <id>internal-releases</id>",
        "      <username>deployer</username>",
        (f"      <password>{p(rng)}</password>",),
        "    </server>",
        "  </servers>",
        (f"  <property name=\"hibernate.connection.password\" value=\"{p(rng)}\"/>",),
        (f"  <entry key=\"smtp.password\">{p(rng)}</entry>",),
        (f"  <Credentials UserName=\"svc\" Password=\"{p(rng)}\" />",),
        "  <password>${env.DEPLOY_PASSWORD}</password>",
        "  <passwordPolicy minLength=\"12\" />",
        "</configuration>",
    )


def yaml_config(rng: random.Random) -> tuple[list[str], set[int]]:
    p = password
    return _lines(
        "database:",
        "  host: db.internal",
        "  port: 5432",
        "  username: orders",
        (f"  password: {p(rng)}",),
        "redis:",
        (f"  password: \"{p(rng)}\"",),
        "spring:",
        "  datasource:",
        (f"    password: '{p(rng)}'",),
        (f"secret_key: {token(rng)}",),
        (f"api_key: \"{token(rng)}\"",),
        (f"auth_token: {hex_key(rng)}",),
        (f"client_secret: {token(rng)}",),
        "smtp:",
        (f"  pass: {p(rng)}",),
        "  password: ${SMTP_PASSWORD}",
        "  password_min_length: 12",
        "  token_ttl: 3600",
        "  secret_name: orders-db-credentials",
    )


def ini_properties(rng: random.Random) -> tuple[list[str], set[int]]:
    p = password
    return _lines(
        "[client]",
        "user = backup",
        (f"password = {p(rng)}",),
        "[mysqld]",
        "bind-address = 127.0.0.1",
        "# spring boot",
        (f"spring.datasource.password={p(rng)}",),
        (f"mail.smtp.password = {p(rng)}",),
        (f"db.password:{p(rng)}",),
        (f"jwt.secret={token(rng)}",),
        (f"oauth.client.secret={token(rng)}",),
        (f"passwd={p(rng)}",),
        "spring.datasource.username=orders",
        "server.port=8443",
        "password.policy.min-length=12",
        "ldap.password=${LDAP_PASSWORD}",
    )


def dotenv(rng: random.Random) -> tuple[list[str], set[int]]:
    p = password
    return _lines(
        "NODE_ENV=production",
        "PORT=3000",
        (f"DB_PASSWORD={p(rng)}",),
        (f"POSTGRES_PASSWORD=\"{p(rng)}\"",),
        (f"SECRET_KEY={token(rng)}",),
        (f"API_TOKEN={token(rng)}",),
        (f"export AWS_SECRET_ACCESS_KEY={_r(rng, B64, 40)}",),
        (f"REDIS_URL=redis://:{p(rng)}@cache:6379",),
        (f"SMTP_PASS='{p(rng)}'",),
        (f"MYSQL_ROOT_PASSWORD={p(rng)}",),
        "LOG_LEVEL=info",
        "DB_PASSWORD=",
        "PASSWORD_RESET_URL=https://app.example.com/reset",
    )


def dockerfile(rng: random.Random) -> tuple[list[str], set[int]]:
    p = password
    return _lines(
        "FROM python:3.12-slim",
        "WORKDIR /app",
        (f"ENV DB_PASSWORD={p(rng)}",),
        (f"ENV MYSQL_ROOT_PASSWORD {p(rng)}",),
        (f"ARG NPM_TOKEN={token(rng)}",),
        "COPY requirements.txt .",
        "RUN pip install --no-cache-dir -r requirements.txt",
        (f"RUN mysql -uroot -p{_r(rng, ALNUM, 14)} < /docker-entrypoint-initdb.d/init.sql",),
        "EXPOSE 8080",
        "ENV APP_PORT=8080",
        "ARG DB_PASSWORD",
        "CMD [\"gunicorn\", \"app:app\"]",
    )


def kubernetes_secret(rng: random.Random) -> tuple[list[str], set[int]]:
    p = password
    tls = "\n".join(pem_block(rng, "RSA PRIVATE KEY"))
    docker = b64('{"auths":{"registry.internal":{"auth":"' + b64("ci:" + p(rng)) + '"}}}')
    return _lines(
        "apiVersion: v1",
        "kind: Secret",
        "metadata:",
        "  name: orders-db",
        "  namespace: prod",
        "type: Opaque",
        "data:",
        (f"  password: {b64(p(rng))}",),
        (f"  api-key: {b64(token(rng))}",),
        (f"  tls.key: {b64(tls)}",),
        (f"  .dockerconfigjson: {docker}",),
        "stringData:",
        (f"  db-password: {p(rng)}",),
        "  username: orders",
    )


def http_headers(rng: random.Random) -> tuple[list[str], set[int]]:
    return _lines(
        "GET /api/v2/orders HTTP/1.1",
        "Host: api.internal",
        (f"Authorization: Basic {b64('admin:' + password(rng))}",),
        "Accept: application/json",
        (f"authorization: Bearer {token(rng)}",),
        (f"Authorization: token {token(rng)}",),
        (f"X-API-Key: {token(rng)}",),
        (f"Proxy-Authorization: Basic {b64('proxy:' + password(rng))}",),
        (f"curl -H \"Authorization: Bearer {token(rng)}\" https://api.internal/v1/me",),
        (f"x-auth-token: {hex_key(rng)}",),
        "Content-Type: application/json",
        "WWW-Authenticate: Basic realm=\"internal\"",
        "Authorization: Bearer <token>",
    )


def code(rng: random.Random) -> tuple[list[str], set[int]]:
    p = password
    return _lines(
        "import os",
        "import psycopg2",
        (f"password = \"{p(rng)}\"",),
        (f"conn = psycopg2.connect(host=\"db\", user=\"app\", password=\"{p(rng)}\")",),
        (f"resp = requests.get(url, auth=(\"admin\", \"{p(rng)}\"))",),
        (f"dataSource.setPassword(\"{p(rng)}\");",),
        (f"private static final String DB_PASSWORD = \"{p(rng)}\";",),
        (f"const apiKey = '{token(rng)}';",),
        (f"  password: '{p(rng)}',",),
        (f"\tPassword: \"{p(rng)}\",",),
        (f"$db_pass = '{p(rng)}';",),
        (f"define('DB_PASSWORD', '{p(rng)}');",),
        (f"config.api_key = \"{token(rng)}\"",),
        (f"var cred = new NetworkCredential(\"svc\", \"{p(rng)}\");",),
        (f"session.auth = HTTPBasicAuth('svc', '{p(rng)}')",),
        (f"client_secret = \"{token(rng)}\"",),
        "password = os.environ[\"DB_PASSWORD\"]",
        "password = getpass.getpass(\"Password: \")",
        "self.password = password",
        "def login(self, user, password=None):",
        "if not password: raise ValueError(\"password required\")",
        "token = tokenizer.next_token()",
        "api_key = settings.API_KEY",
        "PASSWORD_FIELD = \"password\"",
    )


def private_keys(rng: random.Random) -> tuple[list[str], set[int]]:
    lines: list[str] = ["# keys checked in by mistake"]
    secret: set[int] = set()
    for label in ("RSA PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "PRIVATE KEY",
                  "ENCRYPTED PRIVATE KEY", "PGP PRIVATE KEY BLOCK", "DSA PRIVATE KEY"):
        block = pem_block(rng, label)
        secret.update(range(len(lines), len(lines) + len(block)))
        lines += block
        lines.append("")
    # inside code, one string per line
    block = pem_block(rng, "RSA PRIVATE KEY")
    lines.append("PRIVATE_KEY = (")
    secret.update(range(len(lines), len(lines) + len(block)))
    lines += [f"    \"{part}\\n\"" for part in block]
    lines.append(")")
    # a JSON service-account file
    pem = "\\n".join(pem_block(rng, "PRIVATE KEY")) + "\\n"
    lines.append("{\"type\": \"service_account\", \"project_id\": \"orders-prod\",")
    secret.add(len(lines))
    lines.append(f" \"private_key\": \"{pem}\",")
    lines.append(" \"client_email\": \"orders@orders-prod.iam.gserviceaccount.com\"}")
    # base64-encoded PEM, and a key whose output was cut after the header
    secret.add(len(lines))
    lines.append("ssh_key_b64: " + b64("\n".join(pem_block(rng, "OPENSSH PRIVATE KEY"))))
    secret.add(len(lines))
    lines.append("-----BEGIN RSA PRIVATE KEY-----")
    lines.append("... (output truncated)")
    lines += ["-----BEGIN PUBLIC KEY-----", _r(rng, B64, 64), "-----END PUBLIC KEY-----",
              "-----BEGIN CERTIFICATE-----", _r(rng, B64, 64), "-----END CERTIFICATE-----"]
    return lines, secret


def generic_assignments(rng: random.Random) -> tuple[list[str], set[int]]:
    return _lines(
        "settings = {",
        (f"    \"apiKey\": \"{token(rng)}\",",),
        (f"    \"signing_key\": \"{hex_key(rng)}\",",),
        (f"    \"encryptionKey\": \"{_r(rng, B64, 44)}\",",),
        (f"    \"webhookSecret\": \"{token(rng)}\",",),
        (f"    \"access_token\": \"{token(rng)}\",",),
        (f"    \"refreshToken\": \"{token(rng)}\",",),
        "    \"timeout\": 30,",
        "    \"token_url\": \"https://auth.internal/oauth/token\",",
        "    \"keyName\": \"orders-signing\",",
        "}",
        (f"AUTH_TOKEN: {token(rng)}",),
        (f"master_key = '{hex_key(rng)}'",),
        (f"app_secret={token(rng)}",),
        "primary_key = 'id'",
        "cache_key = f\"user:{user_id}\"",
        "secret_santa_group = 'platform-team'",
    )


def vendor_tokens(rng: random.Random) -> tuple[list[str], set[int]]:
    u = ALNUM + "_-"
    return _lines(
        "# third-party integrations",
        (f"GITHUB_TOKEN=ghp_{_r(rng, ALNUM, 36)}",),
        (f"STRIPE_SECRET_KEY=sk_live_{_r(rng, ALNUM, 24)}",),
        ((f"SLACK_BOT_TOKEN=xoxb-{_r(rng, string.digits, 12)}-{_r(rng, string.digits, 13)}-"
         f"{_r(rng, ALNUM, 24)}"),),
        (f"NEW_RELIC_API_KEY=NRAK-{_r(rng, string.ascii_uppercase + string.digits, 27)}",),
        (f"SHOPIFY_ACCESS_TOKEN=shpat_{_r(rng, HEX, 32)}",),
        (f"DIGITALOCEAN_TOKEN=dop_v1_{_r(rng, HEX, 64)}",),
        (f"DATABRICKS_TOKEN=dapi{_r(rng, HEX, 32)}",),
        (f"VAULT_TOKEN=hvs.{_r(rng, u, 95)}",),
        (f"HEROKU_API_KEY=HRKU-AA{_r(rng, u, 58)}",),
        (f"TELEGRAM_BOT_TOKEN={_r(rng, string.digits, 10)}:AA{_r(rng, u, 33)}",),
        (f"SQUARE_ACCESS_TOKEN=EAAA{_r(rng, u, 60)}",),
        (f"POSTHOG_PERSONAL_API_KEY=phx_{_r(rng, ALNUM, 43)}",),
        (f"SENDGRID_API_KEY=SG.{_r(rng, u, 22)}.{_r(rng, u, 43)}",),
        (f"OPENAI_API_KEY=sk-proj-{_r(rng, u, 74)}T3BlbkFJ{_r(rng, u, 74)}",),
        (f"AWS_ACCESS_KEY_ID=AKIA{_r(rng, string.ascii_uppercase + '234567', 16)}",),
        (f"HF_TOKEN=hf_{_r(rng, string.ascii_letters, 34)}",),
        (f"CLOUDFLARE_API_TOKEN={_r(rng, u, 40)}",),
        (f"MAILGUN_API_KEY={_r(rng, HEX, 32)}-{_r(rng, HEX, 8)}-{_r(rng, HEX, 8)}",),
        "SENTRY_DSN_ENV=production",
        "GITHUB_REPOSITORY=platform/orders",
    )


def logs(rng: random.Random) -> tuple[list[str], set[int]]:
    p = password
    return _lines(
        "2026-03-02T10:00:01Z INFO  starting orders-api v2.4.1",
        (f"2026-03-02T10:00:01Z DEBUG db url postgres://orders:{p(rng)}@db.internal/orders",),
        ((f"2026-03-02T10:00:02Z DEBUG request headers {{'Authorization': 'Bearer {token(rng)}', "
         "'Accept': '*/*'}"),),
        (f"2026-03-02T10:00:02Z WARN  retrying login user=svc password={p(rng)}",),
        (f"2026-03-02T10:00:03Z DEBUG config loaded: {{\"smtp_password\": \"{p(rng)}\"}}",),
        "2026-03-02T10:00:03Z INFO  password policy: 12 characters minimum",
        "2026-03-02T10:00:04Z INFO  token refreshed, expires_in=3600",
        "2026-03-02T10:00:05Z ERROR authentication failed for user admin: invalid password",
        "2026-03-02T10:00:06Z INFO  GET /api/v2/orders 200 12ms",
    )


TEMPLATES: dict[str, Template] = {
    "sql": sql, "command-line": command_line, "dsn": dsn, "xml": xml, "yaml": yaml_config,
    "ini-properties": ini_properties, "dotenv": dotenv, "dockerfile": dockerfile,
    "kubernetes-secret": kubernetes_secret, "http-headers": http_headers, "code": code,
    "private-keys": private_keys, "generic-assignments": generic_assignments,
    "vendor-tokens": vendor_tokens, "logs": logs,
}


def corpus(files_per_syntax: int = 20, seed: int = 14) -> list[CorpusFile]:
    rng = random.Random(seed)
    files = []
    for syntax, template in TEMPLATES.items():
        for number in range(files_per_syntax):
            lines, secret = template(rng)
            files.append(CorpusFile(f"{syntax}-{number}", syntax, tuple(lines),
                                    frozenset(secret)))
    return files
