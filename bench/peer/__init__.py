"""The peer: the two hot reads on FastAPI + SQLAlchemy 2 async (asyncpg), for the bench."""
