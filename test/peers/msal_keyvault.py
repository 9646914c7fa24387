"""Reads a Key Vault secret with MSAL for Python behind the Key Vault SDK, as a Workload Identity pod does.

The shape the Workload Identity project's msal-python example gives it: a confidential client whose
credential is a client assertion MSAL asks for on every token request (kubelet rotates the projected token
file, so it is read each time, never kept), wrapped as a TokenCredential for azure-keyvault-secrets, which
runs the vault's challenge and asks for https://vault.azure.net/.default. Nothing here knows about an
emulator: the proxy and the CA bundle come from the environment, through requests.
"""
import os
import sys
import time

from azure.core.credentials import AccessToken
from azure.keyvault.secrets import SecretClient
from msal import ConfidentialClientApplication


def required(name):
    value = os.environ.get(name, "")
    if not value:
        sys.exit(f"{name} is not set")
    return value


class MsalAssertionCredential:
    """azure-core's TokenCredential protocol (get_token) on top of an MSAL confidential client."""

    def __init__(self, client_id, tenant_id, authority_host, token_file):
        self._token_file = token_file
        self._app = ConfidentialClientApplication(
            client_id,
            # AZURE_AUTHORITY_HOST ends with "/" as the webhook injects it.
            authority=f"{authority_host.rstrip('/')}/{tenant_id}",
            client_credential={"client_assertion": self._read_assertion},
        )

    def _read_assertion(self):
        with open(self._token_file, encoding="utf-8") as token_file:
            return token_file.read()

    def get_token(self, *scopes, **_options):
        result = self._app.acquire_token_for_client(list(scopes))
        if "access_token" not in result:
            # Entra's own words: "AADSTS<code>: ...".
            raise RuntimeError(result.get("error_description") or result.get("error"))
        return AccessToken(result["access_token"], int(time.time()) + int(result["expires_in"]))


def main():
    client_id = required("AZURE_CLIENT_ID")
    tenant_id = required("AZURE_TENANT_ID")
    authority_host = required("AZURE_AUTHORITY_HOST")
    token_file = required("AZURE_FEDERATED_TOKEN_FILE")
    vault_url = required("KEYVAULT_URL")
    secret_name = required("SECRET_NAME")
    try:
        # MSAL reads the tenant's discovery document here already.
        credential = MsalAssertionCredential(client_id, tenant_id, authority_host, token_file)
        secret = SecretClient(vault_url=vault_url, credential=credential).get_secret(secret_name)
    except Exception as error:
        print(f"failed to get secret {secret_name}: {error}", file=sys.stderr)
        sys.exit(1)
    print(f"secret {secret_name}: {secret.value}")


if __name__ == "__main__":
    main()
