"""Uploaded media go through Django's storage API only (STORAGES["default"]), so that several
app servers can share one S3 bucket: with a storage that has no local path, as S3 has none,
an uploaded document is stored there and Wagtail's view still serves it after its checks."""

import os

from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage, storages
from django.test import override_settings

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

import pytest

pytestmark = pytest.mark.django_db


class RemoteLikeStorage(InMemoryStorage):
    """Like S3Storage: files are reachable through the storage API only, never by a path."""

    def _relative_path(self, name):
        return os.path.relpath(super().path(name), self.location)

    def path(self, name):
        raise NotImplementedError("This backend doesn't support absolute paths.")


NO_LOCAL_PATH = {
    "default": {"BACKEND": "tests.lms.test_media_storage.RemoteLikeStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@override_settings(STORAGES=NO_LOCAL_PATH)
def test_a_private_document_is_stored_and_served_through_the_configured_storage(
    client_as, superuser
):
    document = get_document_model().objects.create(
        title="Fiche", file=ContentFile(b"contenu de la fiche", name="fiche.txt")
    )
    storage = storages["default"]
    assert storage.exists(document.file.name)
    assert isinstance(storage, RemoteLikeStorage)
    response = client_as(superuser).get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"contenu de la fiche"


@override_settings(STORAGES=NO_LOCAL_PATH)
def test_image_renditions_are_written_to_the_configured_storage():
    image = get_image_model().objects.create(title="Photo", file=get_test_image_file())
    rendition = image.get_rendition("width-40")
    storage = storages["default"]
    assert isinstance(storage, RemoteLikeStorage)
    assert storage.exists(image.file.name)
    assert storage.exists(rendition.file.name)
