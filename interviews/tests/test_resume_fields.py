"""The field finders of resume parsing: skills on word boundaries with aliases, phones in E.164
where the number says its country, distinct links and emails, sections by their headings."""

from interviews.resume_fields import (
    find_emails,
    find_links,
    find_phones,
    find_sections,
    find_skills,
)


def test_skills_match_whole_words_case_insensitively_with_aliases():
    assert find_skills("JAVA, JavaScript and c++") == ["c++", "java", "javascript"]
    assert find_skills("postgres, JS, k8s, sklearn, Golang") == [
        "go",
        "javascript",
        "kubernetes",
        "postgresql",
        "scikit-learn",
    ]
    assert find_skills("reactive, pythonic, see python.org") == []


def test_one_letter_skills_match_only_as_written():
    assert find_skills("Go, C and R") == ["c", "go", "r"]
    assert find_skills("R&D lead, C-level, a go-to person, plan c") == []


def test_phones_become_e164_when_they_carry_a_country_code_and_dates_are_not_phones():
    text = (
        "2019 - 2023, 01.2019 - 12.2021, +1 415 555 0100, +1-415-555-0100, "
        "0044 20 7946 0018, 020 7946 0018"
    )
    assert find_phones(text) == ["+14155550100", "+442079460018", "020 7946 0018"]


def test_links_and_emails_are_distinct_and_lose_trailing_punctuation():
    text = "(see https://example.com/a), www.example.org. and HTTPS://example.com/a"
    assert find_links(text) == ["https://example.com/a", "https://www.example.org"]
    assert find_emails("Jane.Doe@Example.COM or jane.doe@example.com.") == ["Jane.Doe@example.com"]


def test_sections_take_inline_headings_and_leave_the_header_out():
    sections = find_sections("Jane\nSKILLS:\nSQL\nExperience: 5 years\n## Projects\nparser\n")
    assert sections == [
        {"name": "skills", "heading": "SKILLS", "text": "SQL"},
        {"name": "experience", "heading": "Experience", "text": "5 years"},
        {"name": "projects", "heading": "Projects", "text": "parser"},
    ]
