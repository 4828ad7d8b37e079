"""One APIRouter per resource; `pages` is the server-rendered web app."""
