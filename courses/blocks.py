"""The StreamField blocks course pages are written in: lesson content (text,
media, key points, vignettes, unscored checks), objectives and quiz questions
with their answer key."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock


class ObjectiveBlock(blocks.StructBlock):
    key = blocks.CharBlock(
        max_length=10, help_text="A short key quiz questions refer to, e.g. O1."
    )
    text = blocks.CharBlock(max_length=300, label="Learning objective")

    class Meta:
        icon = "tick"
        label = "Objective"


class VignetteBlock(blocks.StructBlock):
    scenario = blocks.TextBlock(help_text="A short, realistic scenario.")
    question = blocks.TextBlock(help_text="A reflection question for the learner.")
    model_answer = blocks.TextBlock(
        required=False,
        help_text="What an experienced colleague would do and why. Learners reveal "
        "it after thinking through their own answer.",
    )

    class Meta:
        icon = "user"
        label = "Case vignette"
        template = "courses/blocks/vignette.html"


class KnowledgeCheckBlock(blocks.StructBlock):
    """An inline question the learner answers for themselves; never scored."""

    question = blocks.TextBlock()
    choices = blocks.ListBlock(blocks.CharBlock(max_length=400))
    answer = blocks.IntegerBlock(
        min_value=0, help_text="Position of the right choice, counting from 0."
    )
    explanation = blocks.TextBlock(required=False)

    class Meta:
        icon = "help"
        label = "Knowledge check (not scored)"
        template = "courses/blocks/check.html"


class LessonStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        max_length=200, template="courses/blocks/heading.html", icon="title"
    )
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h3", "h4"]
    )
    image = ImageBlock()
    video = EmbedBlock(help_text="A link to a video (YouTube, Vimeo ...).")
    document = DocumentChooserBlock(template="courses/blocks/document.html")
    key_point = blocks.TextBlock(
        template="courses/blocks/key_point.html", icon="pick", label="Key point"
    )
    vignette = VignetteBlock()
    check = KnowledgeCheckBlock()


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=400)
    correct = blocks.BooleanBlock(required=False)
    feedback = blocks.TextBlock(
        required=False,
        help_text="Shown with the answers, when the quiz reveals them (see the "
        "quiz's rules).",
    )


class QuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock()
    objective = blocks.CharBlock(
        max_length=10,
        required=False,
        help_text="The key of the course objective this question tests (e.g. O2).",
    )
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2)

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for c in value["choices"] if c["correct"])
        if correct < 1:
            raise blocks.StructBlockValidationError(
                {"choices": ValidationError("Mark at least one choice as correct.")}
            )
        return value


class SingleChoiceQuestion(QuestionBlock):
    def clean(self, value):
        value = super().clean(value)
        if sum(1 for c in value["choices"] if c["correct"]) != 1:
            raise blocks.StructBlockValidationError(
                {"choices": ValidationError("Mark exactly one choice as correct.")}
            )
        return value

    class Meta:
        icon = "radio-full"
        label = "Single choice"


class MultipleAnswerQuestion(QuestionBlock):
    class Meta:
        icon = "list-ul"
        label = "Multiple answers (select all that apply)"


class TrueFalseQuestion(SingleChoiceQuestion):
    class Meta:
        icon = "radio-empty"
        label = "True / false"
        # A new true/false question starts with its two choices; the author
        # writes the prompt and marks the right one.
        default = {
            "choices": [
                {"text": "True", "correct": False, "feedback": ""},
                {"text": "False", "correct": False, "feedback": ""},
            ]
        }


class QuestionStreamBlock(blocks.StreamBlock):
    single = SingleChoiceQuestion()
    multiple = MultipleAnswerQuestion()
    true_false = TrueFalseQuestion()
