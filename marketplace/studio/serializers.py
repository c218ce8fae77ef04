"""The studio API's answers: a creator's figures, in total and per day."""

from rest_framework import serializers


class FiguresSerializer(serializers.Serializer):
    views = serializers.IntegerField()
    plays = serializers.IntegerField()
    votes = serializers.IntegerField()
    clicks = serializers.IntegerField()
    sales = serializers.IntegerField()
    revenue = serializers.CharField(help_text="US dollars, two decimals; commission + earnings")
    commission = serializers.CharField()
    earnings = serializers.CharField()


class AnalyticsDaySerializer(FiguresSerializer):
    date = serializers.DateField()


class AnalyticsSerializer(FiguresSerializer):
    days = serializers.IntegerField()
    daily = AnalyticsDaySerializer(many=True)
