"""A private CA with a broker certificate and a client certificate, made with openssl.

For the local secure broker (and tests): P-256 keys (fast to make), PEM files that both Kafka
(`ssl.keystore.type=PEM`) and Python's ssl module read. The broker certificate names localhost
and 127.0.0.1, so clients keep hostname verification on.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


class CertificateError(RuntimeError):
    """openssl is missing or refused to make a certificate."""


@dataclass(frozen=True)
class Certificates:
    ca_cert: Path
    broker_cert: Path
    broker_key: Path
    broker_keystore: Path  # the broker's key and certificate chain in one PEM file (Kafka)
    client_cert: Path
    client_key: Path

    @classmethod
    def in_dir(cls, directory: Path) -> Certificates:
        return cls(directory / "ca.pem", directory / "broker.pem", directory / "broker.key",
                   directory / "broker-keystore.pem", directory / "client.pem",
                   directory / "client.key")

    def exist(self) -> bool:
        return all(path.exists() for path in (self.ca_cert, self.broker_keystore,
                                              self.client_cert, self.client_key))


def _openssl(*args: str) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        raise CertificateError("openssl is needed to make the local broker's certificates and "
                               "is not on PATH")
    proc = subprocess.run([openssl, *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise CertificateError(f"openssl {args[0]} failed: {proc.stderr[-1000:]}")


def _key_and_request(key: Path, csr: Path, subject: str) -> None:
    _openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", str(key), "-out", str(csr), "-subj", subject)
    os.chmod(key, 0o600)


def _sign(csr: Path, ca_cert: Path, ca_key: Path, out: Path, extensions: str, days: int) -> None:
    ext = out.with_suffix(".ext")
    ext.write_text(extensions)
    _openssl("x509", "-req", "-in", str(csr), "-CA", str(ca_cert), "-CAkey", str(ca_key),
             "-CAcreateserial", "-out", str(out), "-days", str(days), "-sha256",
             "-extfile", str(ext))
    ext.unlink()
    csr.unlink()


def make_certificates(directory: Path, hostnames: tuple[str, ...] = (),
                      subject_prefix: str = "Afterguard local", days: int = 825) -> Certificates:
    """A new CA, a broker certificate (localhost, 127.0.0.1 and `hostnames`) and a client
    certificate."""
    directory.mkdir(parents=True, exist_ok=True)
    certs = Certificates.in_dir(directory)
    ca_key = directory / "ca.key"
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", str(ca_key), "-out", str(certs.ca_cert), "-days", str(days),
             "-subj", f"/CN={subject_prefix} CA", "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    os.chmod(ca_key, 0o600)
    names = ",".join([*(f"DNS:{h}" for h in ("localhost", *hostnames)), "IP:127.0.0.1"])
    broker_csr = directory / "broker.csr"
    _key_and_request(certs.broker_key, broker_csr, "/CN=localhost")
    _sign(broker_csr, certs.ca_cert, ca_key, certs.broker_cert,
          f"subjectAltName={names}\n"
          "extendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n", days)
    client_csr = directory / "client.csr"
    _key_and_request(certs.client_key, client_csr, f"/CN={subject_prefix} client")
    _sign(client_csr, certs.ca_cert, ca_key, certs.client_cert,
          "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n", days)
    certs.broker_keystore.write_text(certs.broker_key.read_text() + certs.broker_cert.read_text()
                                     + certs.ca_cert.read_text())
    os.chmod(certs.broker_keystore, 0o600)
    (directory / "ca.srl").unlink(missing_ok=True)
    return certs
