"""On upload the store reads C2PA content credentials from the cover and preview (c2pa-python)."""

import datetime
import io

import c2pa
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from marketplace.licensing.credentials import read_manifest
from marketplace.models import Track
from tests.factories import CreatorFactory, PlatformFactory

pytestmark = pytest.mark.django_db
TRAINED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
USAGE = dict(content_commitment=False, key_encipherment=False, data_encipherment=False, key_agreement=False,
             encipher_only=False, decipher_only=False)


def certificate(subject, issuer, public_key, signing_key, ca):
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=not ca, key_cert_sign=ca, crl_sign=ca, **USAGE), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if not ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        ).add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


def name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Studio"),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "US")])


@pytest.fixture(scope="module")
def signed_jpeg():
    """A JPEG signed with a test certificate chain made here (a throwaway CA and an ES256 leaf)."""
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    root = certificate(name("Test Root"), name("Test Root"), ca_key.public_key(), ca_key, ca=True)
    leaf = certificate(name("Test Signer"), root.subject, key.public_key(), ca_key, ca=False)
    chain = leaf.public_bytes(serialization.Encoding.PEM) + root.public_bytes(serialization.Encoding.PEM)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, chain, private, None))
    image = io.BytesIO()
    Image.new("RGB", (600, 600), (200, 30, 30)).save(image, "JPEG")
    image.seek(0)
    signed = io.BytesIO()
    manifest = {"title": "cover.jpg", "claim_generator_info": [{"name": "Suno", "version": "4.5"}], "assertions": [
        {"label": "c2pa.actions", "data": {"actions": [{"action": "c2pa.created", "digitalSourceType": TRAINED}]}}]}
    with c2pa.Builder(manifest) as builder:
        builder.sign(signer, "image/jpeg", image, signed)
    return signed.getvalue()


def test_a_signed_file_reads_as_valid_and_a_tampered_copy_as_invalid(signed_jpeg):
    summary = read_manifest(signed_jpeg, "image/jpeg")
    assert summary == {"status": "valid", "signer": "Test Studio", "generator": "Suno 4.5"}
    tampered = bytearray(signed_jpeg)
    tampered[-200] ^= 0xFF  # one byte of the picture, after signing
    assert read_manifest(bytes(tampered), "image/jpeg")["status"] == "invalid"


def test_a_file_without_credentials_reads_as_absent():
    plain = io.BytesIO()
    Image.new("RGB", (8, 8)).save(plain, "JPEG")
    assert read_manifest(plain.getvalue(), "image/jpeg") == {"status": "absent"}


def test_an_uploaded_signed_cover_shows_content_credentials_on_the_track_page(client, signed_jpeg):
    creator = CreatorFactory()
    client.force_login(creator)
    platform = PlatformFactory()
    response = client.post("/dashboard/upload/", {
        "title": "Signed Cover", "genre": "electronic", "platform": platform.pk, "price": "1.99",
        "purchase_url": "https://suno.com/song/1", "preview_url": "https://cdn.example.test/p.mp3",
        "cover": SimpleUploadedFile("cover.jpg", signed_jpeg, content_type="image/jpeg"),
    })
    assert response.status_code == 302, response.context["form"].errors
    track = Track.objects.get(title="Signed Cover")
    assert track.content_credentials["status"] == "valid" and track.content_credentials["cover"] == "valid"
    page = client.get(track.get_absolute_url()).text
    assert "Content credentials (C2PA): present and valid, signed by Test Studio, made with Suno 4.5" in page
    assert client.get(f"/api/v1/tracks/{track.pk}").json()["content_credentials"] == "valid"
