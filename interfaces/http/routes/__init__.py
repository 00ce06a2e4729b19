"""One `APIRouter` per resource of the API; `cogov.interfaces.http.app` includes them all."""
