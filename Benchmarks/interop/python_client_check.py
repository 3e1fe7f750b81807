"""Calls the example through a client that openapi-python-client generated from its
/openapi.json (run by ./python-client): the answers the bench API promises, each read into the
generated models, the runtime's 422s into the generated HTTPValidationError."""
import sys
from bench_petstore_client import Client
from bench_petstore_client.api.pets import get_pet, list_pets, create_pet
from bench_petstore_client.api.bench import plaintext
from bench_petstore_client.models import NewPet, Pet, Status, HTTPValidationError
from bench_petstore_client.types import Response

base = sys.argv[1]
client = Client(base_url=base)
results = []
def check(name, ok):
    results.append(ok); print(("ok: " if ok else "FAIL: ") + name)

pet = get_pet.sync(client=client, pet_id=7)
check("getPet 7 -> Pet", isinstance(pet, Pet) and pet.id == 7 and pet.name == "pet-7" and pet.status == Status.PENDING)
missing = get_pet.sync_detailed(client=client, pet_id=5000)
check("getPet 5000 -> 404 parsed", missing.status_code == 404 and missing.parsed is not None and bool(missing.parsed.detail))
invalid = get_pet.sync_detailed(client=client, pet_id=0)
check("getPet 0 -> 422 HTTPValidationError", invalid.status_code == 422 and isinstance(invalid.parsed, HTTPValidationError) and invalid.parsed.detail[0].type_ == "greater_than_equal")
pets = list_pets.sync(client=client, limit=5, offset=10, status=Status.SOLD)
check("listPets -> 5 sold pets at most", isinstance(pets, list) and len(pets) <= 5 and all(p.status == Status.SOLD for p in pets))
created = create_pet.sync_detailed(client=client, body=NewPet(name="Rex", age=3, status=Status.AVAILABLE, tags=["good"]))
check("createPet -> 201 Pet", created.status_code == 201 and isinstance(created.parsed, Pet) and created.parsed.name == "Rex")
bad = create_pet.sync_detailed(client=client, body=NewPet(name="", age=300, status=Status.AVAILABLE))
check("createPet invalid -> 422 with every issue", bad.status_code == 422 and isinstance(bad.parsed, HTTPValidationError) and len(bad.parsed.detail) >= 2)
text = plaintext.sync_detailed(client=client)
check("plaintext -> 200 Hello, World!", text.status_code == 200 and text.content == b"Hello, World!")
passed = sum(1 for ok in results if ok)
print(f"{passed} passed, {len(results) - passed} failed")
sys.exit(0 if passed == len(results) else 1)
