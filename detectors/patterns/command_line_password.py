import re

from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.credential_words import is_password_value

_SPACED_OPTION = re.compile(r"--\w+\s+\S+\Z")


def _accept(matched: str, value: str) -> bool:
    """`--password orders` is a flag that prompts, then an argument; a password given after a
    space must not read as a plain word."""
    if _SPACED_OPTION.search(matched) and value.isalpha() and value.islower():
        return False
    return is_password_value(value)


_VALUE = r"""(?:'([^'\n]{1,200})'|"([^"\n]{1,200})"|([^\s'"|;&]{1,200}))"""

COMMAND_LINE_PASSWORD = PatternDetector(
    id="command-line-password",
    entity="CREDENTIAL",
    # Passwords given on command lines: `mysql -pS3cret` / `-p'S3cret'` (the MySQL family takes
    # the password glued to `-p`; `-p db` prompts), `--password=…` / `--password …` / `--pass`,
    # `sshpass -p …`, `redis-cli -a …`, `docker login -p …`, `ldapsearch -w …`,
    # `htpasswd -b file user …`, `smbclient -U user%…`.
    pattern=LinearRegex(
        r"\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlshow|mysqlcheck|mysqlsh|mariadb"
        r"|mariadb-dump)\b[^\n|;&]{0,200}?\s-p" + _VALUE
        + r"|(?:\A|\s)--(?:password|passwd|pass|db-password|admin-password|dbpass)(?:=|\s+)"
        + _VALUE
        + r"|\b(?:sshpass|docker\s+login|podman\s+login|nerdctl\s+login|helm\s+registry\s+login"
        r"|skopeo\s+login|buildah\s+login)\b[^\n|;&]{0,200}?\s-p\s+" + _VALUE
        + r"|\bredis-cli\b[^\n|;&]{0,200}?\s-a\s+" + _VALUE
        + r"|\bldap(?:search|modify|add|delete|passwd|whoami)\b[^\n|;&]{0,200}?\s-w\s+" + _VALUE
        + r"|\bhtpasswd\s+(?:-\w+\s+){1,4}\S+\s+\S+\s+" + _VALUE
        + r"|\b(?:smbclient|rpcclient|smbmap)\b[^\n|;&]{0,200}?\s-U\s+[^\s%]{1,100}%" + _VALUE
    ),
    score=0.85,
    keywords=("mysql", "mariadb", "--pass", "--db-pass", "--admin-pass", "--dbpass", "sshpass",
              "login", "redis-cli", "ldap", "htpasswd", "smbclient", "rpcclient", "smbmap"),
    group=-1,
    validate_match=_accept,
)
