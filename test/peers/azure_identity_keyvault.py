"""Reads a Key Vault secret with Python azure-identity and azure-keyvault-secrets, as a Workload Identity pod does.

Debian's azure-identity (1.13) has no WorkloadIdentityCredential, so this is what that credential does:
ClientAssertionCredential with a function that reads the projected token file each time a token is
requested. The credential takes the authority host from AZURE_AUTHORITY_HOST itself, and azure-core's
requests transport takes the proxy and the CA bundle from the environment.
"""
import os
import sys

from azure.identity import ClientAssertionCredential
from azure.keyvault.secrets import SecretClient


def required(name):
    value = os.environ.get(name, "")
    if not value:
        sys.exit(f"{name} is not set")
    return value


def main():
    token_file = required("AZURE_FEDERATED_TOKEN_FILE")

    def read_assertion():
        with open(token_file, encoding="utf-8") as assertion:
            return assertion.read()

    credential = ClientAssertionCredential(
        tenant_id=required("AZURE_TENANT_ID"),
        client_id=required("AZURE_CLIENT_ID"),
        func=read_assertion,
    )
    secret_name = required("SECRET_NAME")
    client = SecretClient(vault_url=required("KEYVAULT_URL"), credential=credential)
    try:
        secret = client.get_secret(secret_name)
    except Exception as error:
        print(f"failed to get secret {secret_name}: {error}", file=sys.stderr)
        sys.exit(1)
    print(f"secret {secret_name}: {secret.value}")


if __name__ == "__main__":
    main()
