"""The kinds of partner organisation (the SQL CHECK in the partners migration lists the same)."""

from __future__ import annotations

from enum import StrEnum


class PartnerKind(StrEnum):
    BAMF = "bamf"
    IMMIGRATION_OFFICE = "immigration_office"
    YOUTH_OFFICE = "youth_office"
    SOCIAL_OFFICE = "social_office"
    SCHOOL = "school"
    HEALTH_OFFICE = "health_office"
    MUNICIPAL_INTEGRATION_CENTRE = "municipal_integration_centre"
    INTEGRATION_OFFICER = "integration_officer"
    VOLUNTEER_GROUP = "volunteer_group"
    ASSOCIATION = "association"
    COURSE_PROVIDER = "course_provider"  # language and integration courses
    RECOGNITION_ADVICE = "recognition_advice"  # recognition of foreign qualifications
    CLOTHING_STORE = "clothing_store"
    FURNITURE_PROVIDER = "furniture_provider"
    OTHER = "other"
