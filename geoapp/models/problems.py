"""RFC 9457 problem documents."""

from pydantic import BaseModel, ConfigDict, Field


class FieldProblem(BaseModel):
    """What is wrong with one field of the request."""

    field: str = Field(description='The field, or "body" for the request as a whole.')
    message: str = Field(description="What to fix, in the request's language.")


class Problem(BaseModel):
    """An RFC 9457 problem (application/problem+json): the answer to every refused request."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "type": "urn:geoapp:problem:text_too_long",
                "title": "Bitte Eingabe prüfen",
                "status": 422,
                "detail": "Ihr Text ist zu lang. Erlaubt sind höchstens 2000 Zeichen. "
                "Bitte kürzen Sie ihn.",
                "code": "text_too_long",
                "errors": [
                    {
                        "field": "text",
                        "message": "Ihr Text ist zu lang. Erlaubt sind höchstens 2000 Zeichen. "
                        "Bitte kürzen Sie ihn.",
                    }
                ],
            }
        }
    )

    type: str = Field(description="urn:geoapp:problem:<code>")
    title: str = Field(description="The kind of problem, in the request's language.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What to fix, in the request's language.")
    code: str = Field(description="A stable key for programs, e.g. text_too_long.")
    errors: list[FieldProblem] | None = Field(
        default=None, description="Per field, when the problem concerns fields."
    )
