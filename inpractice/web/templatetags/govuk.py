"""GOV.UK Design System form patterns for Django bound fields.

Each tag renders one field as the Design System shows it: label or legend, hint, error message,
and the error classes, with `aria-describedby` wired so screen readers hear hint and error.
"""

from __future__ import annotations

from django import template

register = template.Library()


def _field_context(field, label_size: str = "", heading: bool = False, classes: str = "", **extra):
    describedby = []
    if field.help_text:
        describedby.append(f"{field.id_for_label}-hint")
    if field.errors:
        describedby.append(f"{field.id_for_label}-error")
    value = field.value()
    return {
        "field": field,
        "id": field.id_for_label or field.html_name,
        "label_size": label_size,
        "heading": heading,
        "classes": classes,
        "describedby": " ".join(describedby),
        "value": "" if value is None else value,
        **extra,
    }


@register.inclusion_tag("govuk/input.html")
def govuk_input(
    field,
    label_size="",
    heading=False,
    classes="",
    input_type="text",
    autocomplete="",
    inputmode="",
    spellcheck="",
    lookup="",
):
    return _field_context(
        field,
        label_size,
        heading,
        classes,
        input_type=input_type,
        autocomplete=autocomplete,
        inputmode=inputmode,
        spellcheck=spellcheck,
        lookup=lookup,
    )


@register.inclusion_tag("govuk/textarea.html")
def govuk_textarea(field, label_size="", heading=False, rows=8, classes=""):
    max_length = getattr(field.field, "max_length", None)
    return _field_context(field, label_size, heading, classes, rows=rows, max_length=max_length)


@register.inclusion_tag("govuk/select.html")
def govuk_select(field, label_size="", heading=False, enhance=False):
    return _field_context(field, label_size, heading, enhance=enhance)


def _choices(field, multiple: bool):
    value = field.value()
    selected = {str(v) for v in (value or [])} if multiple else {str(value)} if value else set()
    return [
        {
            "value": str(v),
            "label": label,
            "checked": str(v) in selected,
            "id": f"{field.id_for_label}" if i == 0 else f"{field.id_for_label}-{i + 1}",
        }
        for i, (v, label) in enumerate(field.field.choices)
        if str(v) != ""
    ]


@register.inclusion_tag("govuk/choices.html")
def govuk_radios(field, legend_size="", heading=False, inline=False, conditionals=None):
    return _field_context(
        field,
        legend_size,
        heading,
        kind="radio",
        inline=inline,
        options=_choices(field, False),
        conditionals=conditionals or {},
    )


@register.inclusion_tag("govuk/choices.html")
def govuk_checkboxes(field, legend_size="", heading=False, conditionals=None):
    return _field_context(
        field,
        legend_size,
        heading,
        kind="checkbox",
        inline=False,
        options=_choices(field, True),
        conditionals=conditionals or {},
    )


@register.inclusion_tag("govuk/error_summary.html")
def govuk_error_summary(*forms):
    """One summary for every form on the page, each error linking to its field."""
    errors = []
    for form in forms:
        if form is None or not form.errors:
            continue
        for name, messages in form.errors.items():
            if name == "__all__":
                target = f"#{form.prefix + '-' if form.prefix else ''}form"
            else:
                bound = form[name]
                target = f"#{bound.id_for_label or bound.html_name}"
            errors.extend({"href": target, "message": m} for m in messages)
    return {"errors": errors}


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


class CaptureNode(template.Node):
    def __init__(self, nodelist, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context) -> str:
        from django.utils.safestring import mark_safe

        # The captured markup was produced by autoescaping templates, so it is already safe.
        context[self.name] = mark_safe(self.nodelist.render(context))  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    """`{% capture as name %}...{% endcapture %}`: render a block once and keep it in a variable,
    so a field can be passed as the conditional content of a radio or checkbox."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("usage: {% capture as name %}...{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag
def mapping(*pairs):
    """`{% mapping "key1" value1 "key2" value2 as name %}` builds a dict in a template."""
    if len(pairs) % 2:
        raise template.TemplateSyntaxError("mapping takes key/value pairs")
    return dict(zip(pairs[::2], pairs[1::2], strict=True))
